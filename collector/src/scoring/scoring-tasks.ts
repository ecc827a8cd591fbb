import {
  evaluateMql,
  parseScoringRules,
  readScore,
  type ScorableEvent,
  type ScoreState,
  type ScoringRules,
  type ScoringRulesSource,
  scoreEvents,
} from '@leadbeam/scoring';
import { scorableHistory } from './event-history-json.ts';

/**
 * The CPU-bound half of re-scoring and backtesting, run on a worker thread (`scoring-pool.ts`) so
 * that a site with many events or costly rules never holds the collector's event loop. Pure: rules
 * travel as their JSON source and events as data; what comes back is plain data too.
 */

/** Each lead's state recomputed from its events' JSON text (`selectRangeHistories`). */
export type ScoreHistoriesTask = {
  kind: 'score';
  rulesKey: string;
  rules: ScoringRulesSource;
  histories: (string | undefined)[];
};
export type ScoreHistoriesResult = { states: ScoreState[]; events: number };

/** What proposed rules would make of each lead now. */
export type PreviewTask = {
  kind: 'preview';
  rulesKey: string;
  rules: ScoringRulesSource;
  nowMs: number;
  leads: { email: string | null; mql: boolean; events: ScorableEvent[] }[];
};
export type PreviewResult = { scores: number[]; mql: boolean[] };

export type ScoringTask = ScoreHistoriesTask | PreviewTask;

// Rules are compiled once per key (site and version, or a hash of proposed rules) per thread.
const compiled = new Map<string, ScoringRules>();

function compile(key: string, source: ScoringRulesSource): ScoringRules {
  const hit = compiled.get(key);
  if (hit) return hit;
  const parsed = parseScoringRules(source);
  if (!parsed.ok) throw new Error(`rules ${key} do not parse: ${parsed.issues[0]?.message}`);
  if (compiled.size >= 64) compiled.clear();
  compiled.set(key, parsed.rules);
  return parsed.rules;
}

export function scoreHistories(task: ScoreHistoriesTask): ScoreHistoriesResult {
  const rules = compile(task.rulesKey, task.rules);
  let events = 0;
  const states = task.histories.map((json) => {
    const history = json === undefined ? [] : scorableHistory(json);
    events += history.length;
    return scoreEvents(rules, history);
  });
  return { states, events };
}

export function previewLeads(task: PreviewTask): PreviewResult {
  const rules = compile(task.rulesKey, task.rules);
  const scores: number[] = [];
  const mql: boolean[] = [];
  for (const lead of task.leads) {
    const state = scoreEvents(rules, lead.events);
    const score = readScore(rules, state, Math.max(task.nowMs, state.lastEventAt ?? 0)).score;
    scores.push(score);
    mql.push(evaluateMql(rules, { score, email: lead.email, wasMql: lead.mql }).mql);
  }
  return { scores, mql };
}

/** The worker's entry point. */
export function runScoringTask(task: ScoringTask): ScoreHistoriesResult | PreviewResult {
  return task.kind === 'score' ? scoreHistories(task) : previewLeads(task);
}
