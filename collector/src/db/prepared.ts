import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Executor } from './database.ts';

const dialect = new PgDialect();

type PreparingSession = {
  prepareQuery(
    query: { sql: string; params: unknown[] },
    fields: undefined,
    name: string,
    arrayMode: boolean,
  ): { execute(): Promise<unknown> };
};

/**
 * Runs `query` as a prepared statement, in the executor's transaction or on the database.
 *
 * Why: `execute` never prepares (drizzle hands postgres.js `prepare: false`), and postgres.js then
 * has the server describe every statement with parameters before running it: two round trips per
 * statement, and a fresh plan each time. Prepared, a statement is described once per connection
 * and then runs in one round trip. postgres.js keys prepared statements by their text, so this is
 * for statements of a few fixed shapes (parameters as values, never spliced into the text): each
 * shape stays prepared on each connection for the connection's life. PGlite runs in the process
 * and is not affected either way.
 */
export function executePrepared(executor: Executor, query: SQL): Promise<unknown> {
  const { session } = (executor as unknown as { _: { session: PreparingSession } })._;
  return session.prepareQuery(dialect.sqlToQuery(query), undefined, 'leadbeam', false).execute();
}

/** `executePrepared`, answering the rows whichever driver answers. */
export async function preparedRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result = await executePrepared(executor, query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
