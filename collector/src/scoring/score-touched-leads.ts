import { applyEvent, type ScoreState, scoreEvents } from '@leadbeam/scoring';
import { siteKey } from '../db/site-key.ts';
import type { LeadEventRow, LockedLead } from './lead-sql.ts';
import type { VersionedRules } from './rules-store.ts';
import { isScoreState, type SettleInput } from './settle-leads.ts';
import { type StoredEventFields, toScorable } from './stored-event.ts';

/** A lead that got new events, a merge or identify traits in this transaction. */
export type LeadTouch = {
  lead: LockedLead;
  events: (StoredEventFields & { ts: string })[];
  /** Its events changed wholesale (a merge): score it again from the events table. */
  recompute: boolean;
  /** Created in this transaction: `events` are all it has, so it is scored from them without a read. */
  isNew: boolean;
  traits?: Record<string, unknown>;
};

/** True when the lead's score must be recomputed from the events table rather than updated in O(1). */
export function needsHistory(touch: LeadTouch, rules: VersionedRules): boolean {
  if (touch.recompute) return true;
  if (touch.isNew) return false;
  return touch.lead.rulesVersion !== rules.version || !isScoreState(touch.lead.scoreState);
}

/**
 * Scores new events in the transaction that stores them: O(1) per event on the lead's stored
 * state, or a recomputation from its history (`histories`, read after the events were stored)
 * after a merge or under a newer rules version. Pure: what to write is `planSettlement`'s.
 */
export function scoreTouches(
  touches: LeadTouch[],
  rulesOf: (siteId: string) => VersionedRules,
  histories: ReadonlyMap<string, LeadEventRow[]>,
): SettleInput[] {
  return touches.map((touch) => {
    const { lead } = touch;
    const rules = rulesOf(lead.siteId);
    let state: ScoreState;
    if (needsHistory(touch, rules)) {
      state = scoreEvents(rules.rules, (histories.get(siteKey(lead.siteId, lead.id)) ?? []).map(toScorable));
    } else if (touch.isNew) {
      state = scoreEvents(rules.rules, touch.events.map(toScorable));
    } else {
      state = lead.scoreState as ScoreState;
      for (const event of touch.events) applyEvent(rules.rules, state, toScorable(event));
    }
    let first = '';
    let last = '';
    for (const { ts } of touch.events) {
      if (first === '' || ts < first) first = ts;
      if (ts > last) last = ts;
    }
    return {
      lead,
      rules,
      state,
      cause: touch.recompute ? 'merge' : 'score',
      isNew: touch.isNew,
      ...(touch.traits ? { traits: touch.traits } : {}),
      ...(first ? { seen: { first, last } } : {}),
    };
  });
}
