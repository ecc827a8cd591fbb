import { applyEvent, type ScoreState, scoreEvents } from '@leadbeam/scoring';
import type { Executor } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { siteKey } from '../db/site-key.ts';
import { loadEventHistories } from './event-histories.ts';
import { type LockedLead, lockLeads } from './lead-sql.ts';
import { loadRules } from './rules-store.ts';
import { isScoreState, type SettleInput, settleLeads } from './settle-leads.ts';
import { type StoredEventFields, toScorable } from './stored-event.ts';

/** A lead that got new events (or a merge) in this transaction. */
export type LeadTouch = {
  siteId: string;
  leadId: string;
  events: (StoredEventFields & { ts: string })[];
  /** Its events changed wholesale (a merge): score it again from the events table. */
  recompute: boolean;
  /** Created in this transaction: `events` are all it has, so it is scored from them without a read. */
  isNew?: boolean;
};

/**
 * Scores new events in the transaction that stores them: O(1) per event on the lead's stored
 * state, or a recomputation from the events table after a merge or under a newer rules version.
 */
export async function scoreTouchedLeads(
  tx: Executor,
  touches: LeadTouch[],
  rulesVersionOf: (siteId: string) => number,
  now: Date,
): Promise<void> {
  const locked = await queryRows<LockedLead>(
    tx,
    lockLeads(touches.map((t) => ({ site_id: t.siteId, id: t.leadId }))),
  );
  const touchOf = new Map(touches.map((t) => [siteKey(t.siteId, t.leadId), t]));
  const isFresh = (lead: LockedLead) => {
    const touch = touchOf.get(siteKey(lead.siteId, lead.id));
    return touch?.isNew === true && !touch.recompute;
  };
  const stale = locked.filter((lead) => {
    const touch = touchOf.get(siteKey(lead.siteId, lead.id));
    return (
      !isFresh(lead) &&
      (touch?.recompute ||
        lead.rulesVersion !== rulesVersionOf(lead.siteId) ||
        !isScoreState(lead.scoreState))
    );
  });
  const history = await loadEventHistories(tx, stale);
  const staleKeys = new Set(stale.map((l) => siteKey(l.siteId, l.id)));
  const inputs: SettleInput[] = [];
  for (const lead of locked) {
    const k = siteKey(lead.siteId, lead.id);
    const touch = touchOf.get(k);
    const rules = await loadRules(tx, lead.siteId, rulesVersionOf(lead.siteId));
    let state: ScoreState;
    if (isFresh(lead)) {
      state = scoreEvents(rules.rules, (touch?.events ?? []).map(toScorable));
    } else if (staleKeys.has(k)) {
      state = scoreEvents(rules.rules, (history.get(k) ?? []).map(toScorable));
    } else {
      state = lead.scoreState as ScoreState;
      for (const event of touch?.events ?? []) applyEvent(rules.rules, state, toScorable(event));
    }
    const times = (touch?.events ?? []).map((e) => e.ts).sort();
    const seen =
      times.length > 0 ? { first: times[0] ?? '', last: times[times.length - 1] ?? '' } : undefined;
    inputs.push({
      lead,
      rules,
      state,
      cause: touch?.recompute ? 'merge' : 'score',
      ...(seen ? { seen } : {}),
    });
  }
  await settleLeads(tx, inputs, now);
}
