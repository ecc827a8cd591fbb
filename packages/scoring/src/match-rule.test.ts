import { describe, expect, it } from 'vitest';
import { matchRule } from './match-rule.ts';
import type { ScoringRulesInput } from './rules-schema.ts';
import type { ScorableEvent } from './scorable-event.ts';
import { rulesFrom } from './test-helpers.ts';

type RuleInput = ScoringRulesInput['rules'][number];

function matches(rule: Omit<RuleInput, 'id' | 'points'>, event: Omit<ScorableEvent, 'ts'>): boolean {
  const rules = rulesFrom({ mql: { threshold: 10 }, rules: [{ id: 'r', points: 1, ...rule }] });
  return matchRule(rules.rules[0]!, { ts: 0, ...event });
}

const page = (url: string, extra: Partial<ScorableEvent> = {}): Omit<ScorableEvent, 'ts'> => ({
  type: 'page_view',
  url,
  ...extra,
});

describe('matchRule', () => {
  it('matches every event of its type when it has no criteria', () => {
    expect(matches({ on: 'thank_you' }, { type: 'thank_you', conversion: 'any' })).toBe(true);
    expect(matches({ on: 'thank_you' }, { type: 'page_view' })).toBe(false);
  });

  it('matches path globs, case-insensitively, ignoring query and fragment', () => {
    const rule = { on: 'page_view', match: { path: '/pricing*' } } as const;
    expect(matches(rule, page('https://acme.test/pricing'))).toBe(true);
    expect(matches(rule, page('https://acme.test/Pricing/enterprise?plan=pro#faq'))).toBe(true);
    expect(matches(rule, page('https://acme.test/about/pricing'))).toBe(false);
    expect(matches(rule, page('https://acme.test/'))).toBe(false);
  });

  it('prefers a given path over the one in the URL', () => {
    const rule = { on: 'page_view', match: { path: '/pricing' } } as const;
    expect(matches(rule, page('https://acme.test/p?id=7', { path: '/pricing' }))).toBe(true);
  });

  it('treats glob characters other than * literally', () => {
    const rule = { on: 'page_view', match: { path: '/a.b(c)?' } } as const;
    expect(matches(rule, page('https://acme.test/a.b(c)'))).toBe(false);
    expect(matches(rule, { type: 'page_view', path: '/a.b(c)?' })).toBe(true);
    expect(matches(rule, { type: 'page_view', path: '/aXb(c)?' })).toBe(false);
  });

  it('matches url globs on the page, and for downloads on the file too', () => {
    const rule = { on: 'page_view', match: { url: 'https://acme.test/*' } } as const;
    expect(matches(rule, page('https://acme.test/pricing'))).toBe(true);
    expect(matches(rule, page('https://other.test/pricing'))).toBe(false);
    const file = { on: 'download', match: { url: '*/files/guide.pdf' } } as const;
    const download = {
      type: 'download',
      url: 'https://acme.test/resources',
      href: 'https://cdn.test/files/guide.pdf',
    };
    expect(matches(file, download as ScorableEvent)).toBe(true);
  });

  it('matches a tag, or any of a list of tags', () => {
    const event = page('https://acme.test/x', { tags: ['pricing', 'high-intent'] });
    expect(matches({ on: 'page_view', match: { tag: 'high-intent' } }, event)).toBe(true);
    expect(matches({ on: 'page_view', match: { tag: ['whitepaper', 'pricing'] } }, event)).toBe(true);
    expect(matches({ on: 'page_view', match: { tag: 'whitepaper' } }, event)).toBe(false);
    expect(matches({ on: 'page_view', match: { tag: 'pricing' } }, page('https://acme.test/x'))).toBe(false);
  });

  it('matches forms and steps by number or by step name', () => {
    const step = { type: 'form_step', form: 'demo-request', step: 2, stepName: 'company' } as const;
    expect(matches({ on: 'form_step', match: { form: 'demo*' } }, step)).toBe(true);
    expect(matches({ on: 'form_step', match: { form: 'contact' } }, step)).toBe(false);
    expect(matches({ on: 'form_step', match: { form: 'demo-request', step: 2 } }, step)).toBe(true);
    expect(matches({ on: 'form_step', match: { step: 3 } }, step)).toBe(false);
    expect(matches({ on: 'form_step', match: { step: 'company' } }, step)).toBe(true);
    expect(matches({ on: 'form_step', match: { step: 'budget' } }, step)).toBe(false);
    expect(
      matches(
        { on: 'form_submit', match: { form: 'demo-request' } },
        { type: 'form_submit', form: 'demo-request' },
      ),
    ).toBe(true);
  });

  it('matches conversions of thank-you pages', () => {
    const rule = { on: 'thank_you', match: { conversion: 'demo-request' } } as const;
    expect(matches(rule, { type: 'thank_you', conversion: 'demo-request' })).toBe(true);
    expect(matches(rule, { type: 'thank_you', conversion: 'newsletter' })).toBe(false);
  });

  it('matches action and track names', () => {
    expect(matches({ on: 'action', match: { name: 'book-*' } }, { type: 'action', name: 'book-call' })).toBe(
      true,
    );
    expect(matches({ on: 'action', match: { name: 'book-*' } }, { type: 'action', name: 'chat-open' })).toBe(
      false,
    );
    expect(
      matches({ on: 'track', match: { name: 'webinar_*' } }, { type: 'track', name: 'webinar_attended' }),
    ).toBe(true);
  });

  it('matches download extensions with or without the dot, from the file URL', () => {
    const rule = { on: 'download' as const, match: { extension: ['.pdf', 'docx'] } };
    const download = (href: string) => ({ type: 'download', href }) as const;
    expect(matches(rule, download('https://acme.test/files/Guide.PDF?v=2'))).toBe(true);
    expect(matches(rule, download('https://acme.test/files/plan.docx'))).toBe(true);
    expect(matches(rule, download('https://acme.test/files/app.zip'))).toBe(false);
    expect(matches(rule, download('https://acme.test/files.pdf/readme'))).toBe(false);
  });

  it('matches UTM parameters of the session; no UTM never matches a UTM criterion', () => {
    const rule = { on: 'page_view', match: { utm: { source: 'linkedin', campaign: 'q4-*' } } } as const;
    const url = 'https://acme.test/';
    expect(matches(rule, page(url, { utm: { source: 'LinkedIn', campaign: 'q4-abm' } }))).toBe(true);
    expect(matches(rule, page(url, { utm: { source: 'linkedin', campaign: 'q3-abm' } }))).toBe(false);
    expect(matches(rule, page(url, { utm: { source: 'linkedin' } }))).toBe(false);
    expect(matches(rule, page(url))).toBe(false);
  });

  it('requires every criterion to hold', () => {
    const rule = { on: 'page_view', match: { path: '/pricing*', tag: 'high-intent' } } as const;
    expect(matches(rule, page('https://acme.test/pricing', { tags: ['high-intent'] }))).toBe(true);
    expect(matches(rule, page('https://acme.test/pricing'))).toBe(false);
    expect(matches(rule, page('https://acme.test/blog', { tags: ['high-intent'] }))).toBe(false);
  });
});
