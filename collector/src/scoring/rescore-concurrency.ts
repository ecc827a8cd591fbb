import type { Db } from '../db/database.ts';

/**
 * Pages a re-score works on at once at most: enough that while one page is scored in this
 * process, others keep the database busy (on 2 cores, 3 was at least as fast as 2 in our runs,
 * and both far faster than 1).
 */
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
