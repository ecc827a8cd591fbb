import {
  evaluateMql,
  nextStage,
  readScore,
  type ScoreReading,
  type Stage,
  scoreEventsAt,
} from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import { type Db, type Executor, queryRows } from '../db/database.ts';
import { type LeadEventRow, selectLeadEvents } from '../scoring/lead-sql.ts';
import { reevaluateLeads } from '../scoring/reevaluate-leads.ts';
import { toScorable } from '../scoring/stored-event.ts';
import { isoOf, round2 } from './common-schemas.ts';
import { type LeadDetailRow, selectLeadDetail } from './lead-detail-row.ts';
import { hasDecayedOut, resolveLeadId, type ScoredLead, scoreLeadsNow, toLeadJson } from './lead-rows.ts';
import type { LeadDetailJson, LeadJson } from './lead-schemas.ts';

type Standing = Pick<LeadJson, 'mql' | 'mqlAt' | 'stage'>;
type View = { reading: ScoreReading; standing: Partial<Standing> };

/**
 * A lead with its score explained, at `now` or at another instant. A lead whose stored MQL flag
 * has decayed out is settled first (transition recorded, webhook queued), so the answer never
 * shows an MQL that no longer is one.
 */
export async function readLeadDetail(
  db: Db,
  siteId: string,
  idOrEmail: string,
  now: Date,
  at: Date = now,
): Promise<LeadDetailJson | null> {
  let detail = await scoreOne(db, siteId, idOrEmail, now);
  if (detail && hasDecayedOut(detail.scored)) {
    await reevaluateLeads(db, [{ siteId, id: detail.row.id }], now, 'decay');
    detail = await scoreOne(db, siteId, detail.row.id, now);
  }
  if (!detail) return null;
  const { row, scored } = detail;
  const view =
    at.getTime() < now.getTime()
      ? await viewInThePast(db, scored, at.getTime())
      : at.getTime() > now.getTime()
        ? viewAhead(scored, at.getTime())
        : { reading: scored.reading, standing: {} };
  return {
    ...toLeadJson(scored.row, view.reading.score, view.standing),
    at: isoOf(view.reading.at),
    rulesVersion: scored.rulesVersion,
    breakdown: view.reading.breakdown.map((rule) => ({ ...rule, decayedPoints: round2(rule.decayedPoints) })),
    devices: {
      count: row.devices.length,
      list: row.devices.map((d) => ({
        anonymousId: d.anonymousId,
        firstSeen: isoOf(d.firstSeenMs),
        lastSeen: isoOf(d.lastSeenMs),
      })),
    },
    sessions: { count: row.sessionCount },
  };
}

/**
 * The lead with its devices and sessions, scored now: one statement when `idOrEmail` names a live
 * lead; an id merged into another is resolved to the survivor first (`resolveLeadId`).
 */
async function scoreOne(
  db: Db,
  siteId: string,
  idOrEmail: string,
  now: Date,
): Promise<{ row: LeadDetailRow; scored: ScoredLead } | null> {
  let row = await selectLeadDetail(db, siteId, idOrEmail);
  if (!row && !idOrEmail.includes('@')) {
    const survivor = await resolveLeadId(db, siteId, idOrEmail);
    if (survivor !== null && survivor !== idOrEmail) row = await selectLeadDetail(db, siteId, survivor);
  }
  const scored = row && (await scoreLeadsNow(db, [row], now, row.currentRulesVersion))[0];
  return row && scored ? { row, scored } : null;
}

/** Later: the stored state read at `at`; the MQL flag and stage as scoring would leave them then (nothing written). */
function viewAhead({ row, rules, state }: ScoredLead, at: number): View {
  const reading = readScore(rules, state, Math.max(at, state.lastEventAt ?? 0));
  const mql = evaluateMql(rules, { score: reading.score, email: row.email, wasMql: row.mql }).mql;
  const stage = row.stage as Stage;
  const move = nextStage(stage, { identified: row.email !== null, wasMql: row.mql, mql });
  return {
    reading,
    standing: { mql, mqlAt: row.mqlAt, stage: move?.to ?? stage },
  };
}

/** Before now: the score recomputed from the events up to `at`; MQL flag and stage from the transition log. */
async function viewInThePast(db: Executor, { row, rules }: ScoredLead, at: number): Promise<View> {
  const events = await queryRows<LeadEventRow>(db, selectLeadEvents([{ site_id: row.siteId, id: row.id }]));
  const reading = scoreEventsAt(rules, events.map(toScorable), at);
  const transitions = await queryRows<{ from: Stage; to: Stage; mql: boolean; atMs: number }>(
    db,
    sql`select from_stage as "from", to_stage as "to", mql, (extract(epoch from at) * 1000)::float8 as "atMs"
        from lead_transitions where site_id = ${row.siteId} and lead_id = ${row.id} order by at, id`,
  );
  const before = transitions.filter((t) => t.atMs <= at);
  const last = before[before.length - 1];
  const lastEntry = before.filter((t) => t.to === 'mql').pop();
  const stage = last?.to ?? transitions[0]?.from ?? (row.stage as Stage);
  return {
    reading,
    standing: { mql: last?.mql ?? false, mqlAt: lastEntry ? isoOf(lastEntry.atMs) : null, stage },
  };
}
