import type { Executor } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { siteKey } from '../db/site-key.ts';
import { type LeadEventRow, selectLeadEvents } from './lead-sql.ts';

/** Every event of the given leads, in one query, grouped by `siteKey`: what a recomputation reads. */
export async function loadEventHistories(
  tx: Executor,
  leads: { siteId: string; id: string }[],
): Promise<Map<string, LeadEventRow[]>> {
  const histories = new Map<string, LeadEventRow[]>();
  if (leads.length === 0) return histories;
  const rows = await queryRows<LeadEventRow>(
    tx,
    selectLeadEvents(leads.map((l) => ({ site_id: l.siteId, id: l.id }))),
  );
  for (const row of rows) {
    const k = siteKey(row.siteId, row.leadId);
    const list = histories.get(k);
    if (list) list.push(row);
    else histories.set(k, [row]);
  }
  return histories;
}
