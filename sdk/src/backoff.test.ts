import { expect, test } from 'vitest';
import { backoffDelay, parseRetryAfter } from './backoff.ts';

test('backoff doubles from 1 s up to 5 min, jittered between half and all of each step', () => {
  expect([0, 1, 2, 3].map((failures) => backoffDelay(failures, 1))).toEqual([1000, 2000, 4000, 8000]);
  expect([0, 1, 2, 3].map((failures) => backoffDelay(failures, 0))).toEqual([500, 1000, 2000, 4000]);
  expect(backoffDelay(30, 1)).toBe(300_000);
  expect(backoffDelay(30, 0)).toBe(150_000);
});

test('Retry-After is read as seconds or as an HTTP date, never negative, at most a day', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  expect(parseRetryAfter('120', now)).toBe(120_000);
  expect(parseRetryAfter(' 0 ', now)).toBe(0);
  expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
  expect(parseRetryAfter('999999999', now)).toBe(86_400_000);
  expect(parseRetryAfter('soon', now)).toBeUndefined();
  expect(parseRetryAfter(null, now)).toBeUndefined();
});
