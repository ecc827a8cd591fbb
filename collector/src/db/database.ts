import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { executePrepared } from './prepared.ts';
import type * as schema from './schema.ts';

/** drizzle over either driver (PGlite or postgres.js); the code above never knows which. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction or the database itself: anything that runs queries. */
export type Executor = Pick<Db, 'execute' | 'select' | 'insert' | 'update' | 'delete'>;

export type Database = {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Fails when the database cannot answer a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** Runs raw SQL and returns its rows, whichever driver answers (postgres.js gives an array, PGlite `{rows}`). */
export async function queryRows<T>(executor: Executor, query: SQL): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Ends a write transaction: runs its last statement (when there is one); COMMIT follows when the
 * work returns. Throws the statement's error when it failed (then nothing is committed).
 */
export type Commit = (last: SQL | null) => Promise<void>;

/**
 * A transaction for the write path, whose work ends by handing its last statement to `commit`.
 * Rolled back when the work throws.
 */
export function writeTransaction<T>(
  database: Database,
  work: (tx: Executor, commit: Commit) => Promise<T>,
): Promise<T> {
  return database.db.transaction((tx) =>
    work(tx, async (last) => {
      if (last) await executePrepared(tx, last);
    }),
  );
}
