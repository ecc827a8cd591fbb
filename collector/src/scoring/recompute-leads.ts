import { scoreEvents } from '@leadbeam/scoring';
import { scorableHistory } from './event-history-json.ts';
import type { RangeLead } from './rescore-sql.ts';
import type { VersionedRules } from './rules-store.ts';
import type { SettleInput } from './settle-leads.ts';

/**
 * Each lead's state recomputed from all its events under `rules`, ready to settle as a re-score;
 * and how many events that read. `historyOf` answers a lead's events as JSON text (none: no events).
 */
export function recomputeLeads(
  siteId: string,
  rules: VersionedRules,
  leads: RangeLead[],
  historyOf: (leadId: string) => string | undefined,
): { inputs: SettleInput[]; events: number } {
  let events = 0;
  const inputs = leads.map((row): SettleInput => {
    const json = historyOf(row.id);
    const history = json === undefined ? [] : scorableHistory(json);
    events += history.length;
    // `scoreState` is not read from the row: the state is recomputed, never updated.
    const lead = { ...row, siteId, scoreState: null };
    return { lead, rules, state: scoreEvents(rules.rules, history), cause: 'rescore' };
  });
  return { inputs, events };
}
