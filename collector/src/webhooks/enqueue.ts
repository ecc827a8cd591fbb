import { randomUUID } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';

export const WEBHOOK_EVENT_TYPES = [
  'lead.mql',
  'lead.unqualified',
  'lead.stage_changed',
  'lead.merged',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export type WebhookEvent = {
  siteId: string;
  leadId: string;
  type: WebhookEventType;
  at: Date;
  data: Record<string, unknown>;
};

/** The outbox statement for these events: one delivery per subscribed webhook (a sub-statement, for CTEs). */
export function insertWebhookDeliveries(events: WebhookEvent[]): SQL {
  const rows = events.map((event) => ({
    site_id: event.siteId,
    lead_id: event.leadId,
    event_type: event.type,
    at: event.at.toISOString(),
    payload: { id: randomUUID(), type: event.type, createdAt: event.at.toISOString(), data: event.data },
  }));
  return sql`
    insert into webhook_deliveries (site_id, id, webhook_id, lead_id, event_type, payload, next_attempt_at)
    select x.site_id, gen_random_uuid()::text, w.id, x.lead_id, x.event_type, x.payload, x.at
    from json_to_recordset(${JSON.stringify(rows)}::json)
      as x(site_id text, lead_id text, event_type text, at timestamptz, payload jsonb)
    join webhooks w on w.site_id = x.site_id and x.event_type = any(w.event_types)`;
}

/**
 * Writes a delivery per subscribed webhook into the outbox, in the caller's transaction: a
 * delivery exists exactly when the change that caused it committed. The payload's `id` is the
 * same for every webhook and every retry, for the receiver's deduplication. A delivery is due at
 * the collector's time (the clock the dispatcher compares with); `created_at` keeps commit order.
 */
export async function enqueueWebhookEvents(tx: Executor, events: WebhookEvent[]): Promise<void> {
  if (events.length > 0) await tx.execute(insertWebhookDeliveries(events));
}
