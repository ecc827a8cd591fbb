import { describe, expect, it } from 'vitest';
import { siteSettingsSchema } from './site-settings.ts';

const messages = (input: unknown) => {
  const parsed = siteSettingsSchema.safeParse(input);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('URL rules', () => {
  it('accept anchored path and URL globs', () => {
    expect(
      messages({
        urlRules: [
          { match: '/pricing*', tags: ['pricing'] },
          { match: 'https://acme.test/thanks*', thankYou: 'demo-request' },
        ],
      }),
    ).toEqual([]);
  });

  it('refuse a glob with too many wildcards, saying why', () => {
    expect(messages({ urlRules: [{ match: `/${'*a'.repeat(17)}`, tags: ['x'] }] })).toEqual([
      'urlRules.0.match: must have at most 16 wildcards (runs of *), got 17: each one costs every event it is tried on a search',
    ]);
  });

  it('refuse rule lists that could scan too much of each page view', () => {
    const urlRules = Array.from({ length: 80 }, (_, index) => ({
      match: `/*blog-${index}*`,
      tags: ['blog'],
    }));
    expect(messages({ urlRules })).toEqual([
      expect.stringMatching(
        /^urlRules: the URL rules may look at 164,\d{3} characters of each page view, more than 150,000/,
      ),
    ]);
  });
});
