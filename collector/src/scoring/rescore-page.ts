import type { Db } from '../db/database.ts';
import { preparedRows } from '../db/prepared.ts';
import type { LeadRange } from './lead-ranges.ts';
import { recomputeLeads } from './recompute-leads.ts';
import { lockLeadRange, type RangeLead, selectRangeHistories } from './rescore-sql.ts';
import { loadCurrentRules } from './rules-store.ts';
import { settleLeads } from './settle-leads.ts';

/**
 * Re-scores the live leads of one range of a site in one transaction: locks them, then reads
 * their events (so no event committed by a writer they waited for is missed), recomputes each
 * lead's state under the site's current rules, and settles them (scores, MQL flags, stages,
 * transitions, webhooks) with cause `rescore`.
 */
export async function rescorePage(
  db: Db,
  siteId: string,
  range: LeadRange,
  now: Date,
): Promise<{ leads: number; events: number }> {
  return db.transaction(async (tx) => {
    // Prepared (a few fixed shapes): one round trip each (planned at every execution, see open-database.ts).
    const locked = await preparedRows<RangeLead>(tx, lockLeadRange(siteId, range));
    if (locked.length === 0) return { leads: 0, events: 0 };
    const [rules, histories] = await Promise.all([
      loadCurrentRules(tx, siteId),
      preparedRows<{ leadId: string; events: string }>(tx, selectRangeHistories(siteId, range)),
    ]);
    // Events of leads not locked here (merged, or created after the lock) are ignored.
    const historyOf = new Map(histories.map((row) => [row.leadId, row.events]));
    const { inputs, events } = await recomputeLeads(siteId, rules, locked, (id) => historyOf.get(id));
    const settled = await settleLeads(tx, inputs, now);
    return { leads: settled.length, events };
  });
}
