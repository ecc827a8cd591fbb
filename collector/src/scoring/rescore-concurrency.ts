import type { Db } from '../db/database.ts';

/** Pages a re-score works on at once at most: 2 cores busy (database and scoring) with one to spare. */
export const MAX_RESCORE_CONCURRENCY = 3;

/**
 * How many re-score pages may run at once on `db`. Over postgres.js (a pool of connections,
 * `$client.options.max`) up to half the pool, so requests and ingest keep connections while a
 * site is re-scored; PGlite runs one statement at a time, so there a page waits for the last.
 */
export function rescoreConcurrency(db: Db): number {
  const client = (db as { $client?: unknown }).$client;
  if (typeof client !== 'function') return 1;
  const pool = (client as { options?: { max?: unknown } }).options?.max;
  if (typeof pool !== 'number') return 1;
  return Math.max(1, Math.min(MAX_RESCORE_CONCURRENCY, Math.floor(pool / 2)));
}
