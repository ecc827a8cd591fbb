import type { Db } from '../db/database.ts';
import { pagesOfLeads, reevaluateLeads } from './reevaluate-leads.ts';

/** Re-scores every lead of a site from the events table under its current rules. */
export async function rescoreSite(
  db: Db,
  siteId: string,
  now: Date,
): Promise<{ leads: number; events: number }> {
  let leads = 0;
  let events = 0;
  for await (const page of pagesOfLeads(db, siteId, 'all', 1000)) {
    const result = await reevaluateLeads(db, page, now, 'rescore');
    leads += result.settled.length;
    events += result.events;
  }
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
