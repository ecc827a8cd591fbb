import { describe, expect, it } from 'vitest';
import { compareMql, evaluateMql, isExcludedDomain } from './mql.ts';
import { rulesFrom } from './test-helpers.ts';

const rules = rulesFrom({
  mql: { threshold: 100, exitThreshold: 70, excludeEmailDomains: ['gmail.com', 'Competitor.io'] },
  rules: [],
});
const jane = 'jane@acme.test';

describe('evaluateMql', () => {
  it('enters at the threshold, not below', () => {
    expect(evaluateMql(rules, { score: 100, email: jane, wasMql: false })).toEqual({
      mql: true,
      reason: 'reached_threshold',
    });
    expect(evaluateMql(rules, { score: 99.99, email: jane, wasMql: false })).toEqual({
      mql: false,
      reason: 'below_threshold',
    });
  });

  it('stays MQL down to the exit threshold and leaves below it', () => {
    expect(evaluateMql(rules, { score: 70, email: jane, wasMql: true })).toEqual({
      mql: true,
      reason: 'above_exit_threshold',
    });
    expect(evaluateMql(rules, { score: 69.9, email: jane, wasMql: true })).toEqual({
      mql: false,
      reason: 'below_exit_threshold',
    });
  });

  it('does not qualify an anonymous lead when an email is required', () => {
    expect(evaluateMql(rules, { score: 500, email: null, wasMql: false })).toEqual({
      mql: false,
      reason: 'email_required',
    });
    expect(evaluateMql(rules, { score: 500, email: 'not an email', wasMql: true }).mql).toBe(false);
  });

  it('qualifies anonymous leads when email is not required', () => {
    const open = rulesFrom({ mql: { threshold: 100, requireEmail: false }, rules: [] });
    expect(evaluateMql(open, { score: 100, email: null, wasMql: false }).mql).toBe(true);
  });

  it('never qualifies excluded domains or their subdomains, whatever the case', () => {
    for (const email of ['Jo@Gmail.com', 'jo@eu.competitor.io']) {
      expect(evaluateMql(rules, { score: 500, email, wasMql: true })).toEqual({
        mql: false,
        reason: 'email_domain_excluded',
      });
    }
    expect(evaluateMql(rules, { score: 500, email: 'jo@notgmail.com', wasMql: false }).mql).toBe(true);
  });
});

describe('isExcludedDomain', () => {
  it('matches the domain and its subdomains only', () => {
    expect(isExcludedDomain('corp.com', ['corp.com'])).toBe(true);
    expect(isExcludedDomain('mail.corp.com', ['corp.com'])).toBe(true);
    expect(isExcludedDomain('megacorp.com', ['corp.com'])).toBe(false);
  });
});

describe('compareMql', () => {
  it('counts MQLs on each side and lists who enters and who leaves', () => {
    const before = { a: true, b: true, c: false };
    const after = new Map([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', true],
    ]);
    expect(compareMql(before, after)).toEqual({
      mqlBefore: 2,
      mqlAfter: 3,
      entered: ['c', 'd'],
      left: ['b'],
    });
  });

  it('treats a lead missing on one side as not MQL', () => {
    expect(compareMql({ a: true }, {})).toEqual({ mqlBefore: 1, mqlAfter: 0, entered: [], left: ['a'] });
  });
});
