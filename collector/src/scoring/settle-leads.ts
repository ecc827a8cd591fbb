import {
  evaluateMql,
  nextStage,
  readScore,
  SCORE_STATE_VERSION,
  type ScoreState,
  type Stage,
} from '@leadbeam/scoring';
import type { Executor } from '../db/database.ts';
import { asOneStatement, type StatementPart } from '../db/one-statement.ts';
import { executePrepared } from '../db/prepared.ts';
import { insertWebhookDeliveries, type WebhookEvent } from '../webhooks/enqueue.ts';
import { type LeadWrite, type LockedLead, settlementParts, type TransitionRow } from './lead-sql.ts';
import type { VersionedRules } from './rules-store.ts';

/** Why a lead was re-evaluated: new events, a merge, time passing, new rules. */
export type SettleCause = 'score' | 'merge' | 'decay' | 'rescore';

export type SettleInput = {
  lead: LockedLead;
  rules: VersionedRules;
  state: ScoreState;
  cause: SettleCause;
  seen?: { first: string; last: string };
  /** Created in this transaction: inserted whole rather than updated. */
  isNew?: boolean;
  /** Identify traits to merge into the lead's (its email, when claimed, is already on `lead`). */
  traits?: Record<string, unknown>;
};

/** What settling writes: lead rows, stage transitions, and the webhooks they fire. */
export type Settlement = {
  leads: LeadWrite[];
  transitions: TransitionRow[];
  hooks: WebhookEvent[];
  settled: SettledLead[];
};

export type SettledLead = { siteId: string; id: string; score: number; mql: boolean; stage: Stage };

export function isScoreState(value: unknown): value is ScoreState {
  return typeof value === 'object' && value !== null && (value as ScoreState).version === SCORE_STATE_VERSION;
}

/**
 * Writes what a lead's scoring state means now: its score, MQL flag (with hysteresis) and
 * stage; every stage change is recorded with its time, score and cause, and the webhooks it
 * fires are put in the outbox — all in the caller's transaction, in one statement.
 */
export async function settleLeads(tx: Executor, inputs: SettleInput[], now: Date): Promise<SettledLead[]> {
  const settlement = planSettlement(inputs, now);
  const statement = asOneStatement(writeParts(settlement));
  if (statement) await executePrepared(tx, statement);
  return settlement.settled;
}

/** The statements that write a settlement, as parts of one (`asOneStatement`). */
export function writeParts({ leads, transitions, hooks }: Omit<Settlement, 'settled'>): StatementPart[] {
  return settlementParts(leads, transitions, hooks.length > 0 ? insertWebhookDeliveries(hooks) : null);
}

/** Decides, without I/O, what each lead's state means now and what must be written for it. */
export function planSettlement(inputs: SettleInput[], now: Date): Settlement {
  const leads: LeadWrite[] = [];
  const transitions: TransitionRow[] = [];
  const hooks: WebhookEvent[] = [];
  const settled: SettledLead[] = [];
  for (const { lead, rules, state, cause, seen, isNew = false, traits = {} } of inputs) {
    const at = Math.max(now.getTime(), state.lastEventAt ?? 0);
    const reading = readScore(rules.rules, state, at);
    const decision = evaluateMql(rules.rules, { score: reading.score, email: lead.email, wasMql: lead.mql });
    let stage = lead.stage as Stage;
    const atIso = new Date(at).toISOString();
    const snapshot = () => ({
      lead: { id: lead.id, email: lead.email, score: round(reading.score), mql: decision.mql, stage },
    });
    for (let step = 0; step < 3; step++) {
      const move = nextStage(stage, { identified: lead.email !== null, wasMql: lead.mql, mql: decision.mql });
      if (!move) break;
      stage = move.to;
      const transitionCause = cause === 'score' && move.cause === 'identified' ? 'identify' : cause;
      transitions.push({
        site_id: lead.siteId,
        lead_id: lead.id,
        from_stage: move.from,
        to_stage: move.to,
        mql: decision.mql,
        score: reading.score,
        cause: transitionCause,
        reason: decision.reason,
        at: atIso,
      });
      hooks.push({
        siteId: lead.siteId,
        leadId: lead.id,
        type: 'lead.stage_changed',
        at: now,
        data: { ...snapshot(), from: move.from, to: move.to, cause: transitionCause },
      });
    }
    if (decision.mql !== lead.mql) {
      // A sales-owned stage (sal, sql, disqualified) keeps its stage while the flag flips: the
      // flip is still recorded, so the history and `?at=` reads see it.
      if (stage === lead.stage) {
        transitions.push({
          site_id: lead.siteId,
          lead_id: lead.id,
          from_stage: stage,
          to_stage: stage,
          mql: decision.mql,
          score: reading.score,
          cause,
          reason: decision.reason,
          at: atIso,
        });
      }
      hooks.push({
        siteId: lead.siteId,
        leadId: lead.id,
        type: decision.mql ? 'lead.mql' : 'lead.unqualified',
        at: now,
        data: { ...snapshot(), reason: decision.reason, cause },
      });
    }
    leads.push({
      site_id: lead.siteId,
      id: lead.id,
      is_new: isNew,
      email: lead.email,
      traits,
      score: reading.score,
      score_at: atIso,
      score_state: state,
      rules_version: rules.version,
      mql: decision.mql,
      mql_at: decision.mql && !lead.mql ? atIso : null,
      stage,
      stage_changed: stage !== lead.stage,
      first_seen: seen?.first ?? null,
      last_seen: seen?.last ?? null,
      merged_into: null,
      updated_at: now.toISOString(),
    });
    settled.push({ siteId: lead.siteId, id: lead.id, score: reading.score, mql: decision.mql, stage });
  }
  return { leads, transitions, hooks, settled };
}

const round = (score: number) => Math.round(score * 100) / 100;
