import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_RULES } from './default-rules.ts';
import { evaluateMql } from './mql.ts';
import { parseScoringRules } from './parse-rules.ts';
import { readScore } from './read-score.ts';
import type { ScorableEvent } from './scorable-event.ts';
import { scoreEvents } from './score-events.ts';
import { DAY, pageView, T0 } from './test-helpers.ts';

const parsed = parseScoringRules(DEFAULT_SCORING_RULES);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
const rules = parsed.rules;
const MINUTE = 60_000;

describe('DEFAULT_SCORING_RULES', () => {
  it('qualifies a buyer who reads pricing, takes a whitepaper and requests a demo', () => {
    const url = 'https://acme.test/demo';
    const visit: ScorableEvent[] = [
      pageView('/', T0),
      pageView('/pricing', T0 + MINUTE),
      {
        type: 'download',
        ts: T0 + 3 * MINUTE,
        href: 'https://acme.test/files/guide.pdf',
        tags: ['whitepaper'],
      },
      pageView('/pricing', T0 + DAY),
      { type: 'form_step', ts: T0 + DAY + MINUTE, url, form: 'demo-request', step: 1 },
      { type: 'form_step', ts: T0 + DAY + 2 * MINUTE, url, form: 'demo-request', step: 2 },
      { type: 'identify', ts: T0 + DAY + 3 * MINUTE },
      { type: 'form_submit', ts: T0 + DAY + 3 * MINUTE, url, form: 'demo-request' },
      { type: 'thank_you', ts: T0 + DAY + 4 * MINUTE, url, conversion: 'demo-request' },
      { type: 'action', ts: T0 + DAY + 5 * MINUTE, url, name: 'book-call' },
    ];
    const reading = readScore(rules, scoreEvents(rules, visit), T0 + DAY + 5 * MINUTE);
    expect(reading.breakdown.map((rule) => rule.ruleId)).toEqual([
      'pricing',
      'whitepaper',
      'demo-step',
      'demo-request',
      'thank-you',
      'book-call',
      'identified',
    ]);
    expect(reading.score).toBeGreaterThan(150);
    expect(evaluateMql(rules, { score: reading.score, email: 'jane@acme.test', wasMql: false }).mql).toBe(
      true,
    );
    expect(evaluateMql(rules, { score: reading.score, email: 'jane@gmail.com', wasMql: false }).mql).toBe(
      false,
    );
  });

  it('does not qualify someone browsing for jobs, however often', () => {
    const visit = Array.from({ length: 20 }, (_, i) =>
      pageView(i % 2 ? '/careers/engineer' : '/pricing', T0 + i * MINUTE),
    );
    const reading = readScore(rules, scoreEvents(rules, visit), T0 + DAY);
    expect(reading.score).toBe(0);
  });
});
