import { applyEvent, emptyScoreState, type ScoreState } from './accumulator.ts';
import type { ScoringRules } from './parse-rules.ts';
import { readScore, type ScoreReading } from './read-score.ts';
import type { ScorableEvent } from './scorable-event.ts';

/**
 * Recomputes a lead's state from all its events (after a merge or a rules change). Sorts a copy
 * by time first, so the limit-window horizon never matters however old the events are.
 */
export function scoreEvents(rules: ScoringRules, events: readonly ScorableEvent[]): ScoreState {
  const sorted = [...events].sort((a, b) => a.ts - b.ts);
  const state = emptyScoreState();
  for (const event of sorted) applyEvent(rules, state, event);
  return state;
}

/** The score and its explanation at any instant, past included: events after `at` are left out. */
export function scoreEventsAt(
  rules: ScoringRules,
  events: readonly ScorableEvent[],
  at: number,
): ScoreReading {
  return readScore(
    rules,
    scoreEvents(
      rules,
      events.filter((event) => event.ts <= at),
    ),
    at,
  );
}
