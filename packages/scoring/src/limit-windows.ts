import type { ScoringRule } from './parse-rules.ts';
import { addContribution, type RuleState, type ScoreEffect } from './rule-state.ts';

/**
 * How far behind the latest event a limit window stays open. The collector clamps event times to
 * the last 7 days, so no event can land more than 7 days behind the latest one it has stored; a day
 * of margin covers clocks of several collectors. A window that ended before `lastEventAt − horizon`
 * is closed: its times are dropped (bounding the state) and an event that still lands in it counts
 * as `late` (capped), never as scored — so a limit is never exceeded.
 *
 * State size per limited rule: at most `count` times per open window, and at most
 * ⌈horizon / per⌉ + 1 open windows (fewer in practice: only windows that saw events exist).
 */
export const LIMIT_WINDOW_HORIZON_MS = 8 * 24 * 60 * 60 * 1000;

const isClosed = (window: number, perMs: number, lastEventAt: number) =>
  (window + 1) * perMs <= lastEventAt - LIMIT_WINDOW_HORIZON_MS;

/**
 * Scores an event of a limited rule. Windows are fixed, aligned to the epoch (`floor(ts / per)`),
 * and in each one the `count` EARLIEST events score, whatever order they arrive in: an event
 * earlier than the latest scored one of a full window takes its place (whose points are taken
 * back). Ties keep the ones already in: equal times carry equal points, so the score is the same.
 */
export function applyLimitedEvent(
  rule: ScoringRule,
  limit: { count: number; perMs: number },
  ruleState: RuleState,
  ts: number,
  lastEventAt: number,
): ScoreEffect {
  const window = Math.floor(ts / limit.perMs);
  if (isClosed(window, limit.perMs, lastEventAt)) {
    ruleState.cappedEvents += 1;
    return { ruleId: rule.id, outcome: 'late' };
  }
  ruleState.windows ??= {};
  const key = String(window);
  const scored = ruleState.windows[key];
  if (scored === undefined) {
    ruleState.windows[key] = [ts];
    closeOldWindows(ruleState.windows, limit.perMs, lastEventAt);
  } else if (scored.length < limit.count) {
    insertSorted(scored, ts);
  } else {
    const latest = scored[scored.length - 1] as number;
    if (ts >= latest) {
      ruleState.cappedEvents += 1;
      return { ruleId: rule.id, outcome: 'limited' };
    }
    scored.pop();
    insertSorted(scored, ts);
    addContribution(ruleState, latest, -rule.points, rule.halfLifeMs);
    addContribution(ruleState, ts, rule.points, rule.halfLifeMs);
    ruleState.cappedEvents += 1;
    return { ruleId: rule.id, outcome: 'scored', displacedTs: latest };
  }
  addContribution(ruleState, ts, rule.points, rule.halfLifeMs);
  ruleState.events += 1;
  ruleState.rawPoints += rule.points;
  return { ruleId: rule.id, outcome: 'scored' };
}

/** Drops the times of windows that can no longer receive events. Runs only when a window opens. */
function closeOldWindows(windows: Record<string, number[]>, perMs: number, lastEventAt: number): void {
  for (const key in windows) {
    if (isClosed(Number(key), perMs, lastEventAt)) delete windows[key];
  }
}

function insertSorted(times: number[], ts: number): void {
  let index = times.length;
  while (index > 0 && (times[index - 1] as number) > ts) index -= 1;
  times.splice(index, 0, ts);
}
