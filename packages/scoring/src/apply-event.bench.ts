import { bench, describe } from 'vitest';
import { applyEvent, emptyScoreState } from './accumulator.ts';
import { DEFAULT_SCORING_RULES } from './default-rules.ts';
import { parseScoringRules } from './parse-rules.ts';
import type { ScorableEvent } from './scorable-event.ts';

const parsed = parseScoringRules(DEFAULT_SCORING_RULES);
if (!parsed.ok) throw new Error('default rules do not parse');
const rules = parsed.rules;
const T0 = Date.UTC(2026, 0, 1);
const paths = ['/', '/pricing', '/blog/scoring', '/careers', '/security', '/features'];
const events: ScorableEvent[] = Array.from({ length: 10_000 }, (_, i) => {
  const ts = T0 + i * 37_000;
  if (i % 10 === 7)
    return { type: 'form_step', ts, url: 'https://acme.test/demo', form: 'demo-request', step: 2 };
  if (i % 10 === 9)
    return { type: 'download', ts, href: 'https://acme.test/f/guide.pdf', tags: ['whitepaper'] };
  const path = paths[i % paths.length] as string;
  return { type: 'page_view', ts, url: `https://acme.test${path}`, path };
});

describe('applyEvent', () => {
  bench('10,000 events of one lead with the default rules (in order)', () => {
    const state = emptyScoreState();
    for (const event of events) applyEvent(rules, state, event);
  });

  bench('10,000 events of one lead with the default rules (reversed)', () => {
    const state = emptyScoreState();
    for (let i = events.length - 1; i >= 0; i -= 1) applyEvent(rules, state, events[i] as ScorableEvent);
  });
});
