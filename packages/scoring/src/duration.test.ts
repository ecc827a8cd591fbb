import { describe, expect, it } from 'vitest';
import { checkDuration, parseDuration } from './duration.ts';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['45s', 45_000],
    ['90m', 90 * 60_000],
    ['12h', 12 * 3_600_000],
    ['30d', 30 * 86_400_000],
    ['2w', 14 * 86_400_000],
    ['1.5d', 36 * 3_600_000],
    [' 7d ', 7 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '30', 'd', '30 days', '-1d', '0d', '1y', '1M', '1e3s', '1h30m', 'forever'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );
});

describe('checkDuration', () => {
  it('accepts a duration within bounds', () => {
    expect(checkDuration('30d', '1m', '3650d')).toBeNull();
  });

  it('says what a duration looks like when the text is not one', () => {
    expect(checkDuration('30 days', '1m', '3650d')).toMatch(/"30d", "12h", "90m" or "2w"/);
  });

  it('names the bound a duration breaks', () => {
    expect(checkDuration('10s', '1m', '3650d')).toBe('must be at least 1m, got "10s"');
    expect(checkDuration('20000d', '1m', '3650d')).toBe('must be at most 3650d, got "20000d"');
  });
});
