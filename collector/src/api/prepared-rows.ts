import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '../db/database.ts';

const dialect = new PgDialect();

/**
 * Runs `query` as a prepared statement and answers its rows, whichever driver answers.
 *
 * Why: `db.execute` never prepares (drizzle hands postgres.js `prepare: false`), and postgres.js
 * then has the server describe every statement with parameters before running it: two round
 * trips per statement, and a fresh plan each time. Prepared, a statement is described once per
 * connection and then runs in one round trip. `name` only marks the statement as prepared
 * (postgres.js keys its statements by text), so use this for statements of a few fixed shapes:
 * each shape stays prepared on each connection for the connection's life. PGlite runs in the
 * process and is not affected either way.
 */
export async function preparedRows<T>(db: Db, name: string, query: SQL): Promise<T[]> {
  const prepared = db._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  const result: unknown = await prepared.execute();
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}
