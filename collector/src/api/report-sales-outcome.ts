import { applySalesOutcome, type SalesOutcome, type Stage } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { insertTransitions } from '../scoring/lead-sql.ts';
import { enqueueWebhookEvents, type WebhookEvent } from '../webhooks/enqueue.ts';
import { round2 } from './common-schemas.ts';
import { LEAD_COLUMNS, type LeadRow, scoreLeadsNow, toLeadJson } from './lead-rows.ts';
import type { LeadJson } from './lead-schemas.ts';

export type StageChange = { lead: LeadJson; from: Stage; to: Stage; changed: boolean };

/**
 * Applies an outcome reported by sales in one transaction: the lead row locked, the move checked
 * (409 when the lifecycle forbids it), stage written, the transition recorded with its reason, and
 * `lead.stage_changed` put in the outbox. Recycling clears the MQL flag, so the lead must qualify
 * again (and `lead.unqualified` fires when it was set). Reporting the current stage changes nothing.
 */
export async function reportSalesOutcome(
  db: Db,
  siteId: string,
  leadId: string,
  outcome: SalesOutcome,
  reason: string | null,
  now: Date,
): Promise<StageChange | null> {
  return db.transaction(async (tx) => {
    const [row] = await queryRows<LeadRow>(
      tx,
      sql`select ${LEAD_COLUMNS} from leads l
          where l.site_id = ${siteId} and l.id = ${leadId} and l.merged_into is null for update of l`,
    );
    if (!row) return null;
    const [scored] = await scoreLeadsNow(tx, [row], now);
    const score = scored?.reading.score ?? 0;
    const move = applySalesOutcome(row.stage as Stage, outcome);
    if (!move.ok) throw new ApiError(409, 'conflict', move.message);
    if (!move.changed)
      return { lead: toLeadJson(row, score), from: move.from, to: move.stage, changed: false };

    const mql = outcome === 'recycled' ? false : row.mql;
    const at = now.toISOString();
    const [updated] = await queryRows<LeadRow>(
      tx,
      sql`update leads l set stage = ${move.stage}, mql = ${mql}, stage_changed_at = ${at}::timestamptz,
            updated_at = ${at}::timestamptz
          where l.site_id = ${siteId} and l.id = ${leadId} returning ${LEAD_COLUMNS}`,
    );
    const lead = toLeadJson(updated ?? row, score);
    await tx.execute(
      insertTransitions([
        {
          site_id: siteId,
          lead_id: leadId,
          from_stage: move.from,
          to_stage: move.stage,
          mql,
          score,
          cause: 'sales',
          reason,
          at,
        },
      ]),
    );
    const snapshot = { id: lead.id, email: lead.email, score: round2(score), mql, stage: move.stage };
    const hooks: WebhookEvent[] = [
      {
        siteId,
        leadId,
        type: 'lead.stage_changed',
        at: now,
        data: { lead: snapshot, from: move.from, to: move.stage, cause: 'sales', reason },
      },
    ];
    if (row.mql && !mql) {
      hooks.push({
        siteId,
        leadId,
        type: 'lead.unqualified',
        at: now,
        data: { lead: snapshot, reason: 'recycled_by_sales', cause: 'sales' },
      });
    }
    await enqueueWebhookEvents(tx, hooks);
    return { lead, from: move.from, to: move.stage, changed: true };
  });
}
