import type { Db } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { rangesBetween } from './lead-ranges.ts';
import { pagesOfLeads, reevaluateLeads } from './reevaluate-leads.ts';
import { rescoreConcurrency } from './rescore-concurrency.ts';
import { rescorePage } from './rescore-page.ts';
import { selectPageBounds } from './rescore-sql.ts';
import { runConcurrently } from './run-concurrently.ts';

export type RescoreOptions = {
  /** Live leads a page (one transaction) locks and re-scores, about. */
  pageSize?: number;
  /** Pages worked on at once; by default what the database allows (`rescoreConcurrency`). */
  concurrency?: number;
};

/**
 * Re-scores every lead of a site from the events table under its current rules. The site's ids
 * are split into ranges of about `pageSize` live leads up front, and ranges are re-scored in
 * their own transactions, several at once: while one waits for the database, another is scored.
 * The ranges cover every id once, so each lead is visited once, leads created meanwhile included.
 */
export async function rescoreSite(
  db: Db,
  siteId: string,
  now: Date,
  options: RescoreOptions = {},
): Promise<{ leads: number; events: number }> {
  const pageSize = options.pageSize ?? 1000;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new RangeError(`page size must be ≥ 1, got ${pageSize}`);
  const bounds = await queryRows<{ id: string }>(db, selectPageBounds(siteId, pageSize));
  const ranges = rangesBetween(bounds.map((row) => row.id));
  let leads = 0;
  let events = 0;
  await runConcurrently(ranges, options.concurrency ?? rescoreConcurrency(db), async (range) => {
    const page = await rescorePage(db, siteId, range, now);
    leads += page.leads;
    events += page.events;
  });
  return { leads, events };
}

/** Records MQLs that decayed below the exit threshold since their last event (the periodic sweep). */
export async function sweepDecayedMqls(db: Db, siteIds: string[], now: Date): Promise<number> {
  let left = 0;
  for (const siteId of siteIds) {
    for await (const page of pagesOfLeads(db, siteId, 'mql', 500)) {
      left += (await reevaluateLeads(db, page, now, 'decay')).settled.length;
    }
  }
  return left;
}
