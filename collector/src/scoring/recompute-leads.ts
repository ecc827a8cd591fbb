import type { RangeLead } from './rescore-sql.ts';
import type { VersionedRules } from './rules-store.ts';
import { scoringPool } from './scoring-pool.ts';
import type { SettleInput } from './settle-leads.ts';

/**
 * Each lead's state recomputed from all its events under `rules`, ready to settle as a re-score;
 * and how many events that read. `historyOf` answers a lead's events as JSON text (none: no events).
 * The scoring runs on a scoring thread: a page can hold many events, and rules cost up to their
 * match budget per event.
 */
export async function recomputeLeads(
  siteId: string,
  rules: VersionedRules,
  leads: RangeLead[],
  historyOf: (leadId: string) => string | undefined,
): Promise<{ inputs: SettleInput[]; events: number }> {
  const { states, events } = await scoringPool().score({
    rulesKey: `${siteId}:${rules.version}`,
    rules: rules.rules.source,
    histories: leads.map((row) => historyOf(row.id)),
  });
  const inputs = leads.map(
    // `scoreState` is not read from the row: the state is recomputed, never updated.
    (row, index): SettleInput => ({
      lead: { ...row, siteId, scoreState: null },
      rules,
      state: states[index] as (typeof states)[number],
      cause: 'rescore',
    }),
  );
  return { inputs, events };
}
