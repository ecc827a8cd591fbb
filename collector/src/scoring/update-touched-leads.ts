import { sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import type { EventRow } from '../ingest/write-sql.ts';

/** A lead that got new events (or a merge) in this transaction. */
export type LeadTouch = { siteId: string; leadId: string; events: EventRow[]; recompute: boolean };

export async function updateTouchedLeads(
  tx: Executor,
  touches: LeadTouch[],
  _rulesVersionOf: (siteId: string) => number,
): Promise<void> {
  const seen = touches.map((t) => ({
    site_id: t.siteId,
    id: t.leadId,
    first: t.events.reduce(
      (min, e) => (e.ts < min ? e.ts : min),
      t.events[0]?.ts ?? new Date().toISOString(),
    ),
    last: t.events.reduce((max, e) => (e.ts > max ? e.ts : max), t.events[0]?.ts ?? new Date().toISOString()),
  }));
  await tx.execute(sql`
    update leads l set first_seen = least(l.first_seen, x.first), last_seen = greatest(l.last_seen, x.last), updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(seen)}::jsonb) as x(site_id text, id text, first timestamptz, last timestamptz)
    where l.site_id = x.site_id and l.id = x.id`);
}
