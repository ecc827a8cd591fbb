import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGlob, compileGlob, GLOB_LIMITS } from './glob.ts';

/** The reference meaning of a glob, for short inputs only: a backtracking RegExp. */
function referenceMatch(pattern: string, value: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[\\^$.|?+()[\]{}]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'is').test(value);
}

describe('compileGlob', () => {
  it.each([
    ['/pricing*', '/pricing', true],
    ['/pricing*', '/Pricing/enterprise', true],
    ['/pricing*', '/about/pricing', false],
    ['*pricing', '/about/pricing', true],
    ['/a*b*c', '/a-x-b-y-c', true],
    ['/a*b*c', '/a-x-c-y-b', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*', '', true],
    ['', '', true],
    ['/docs/v1.0', '/docs/v1x0', false],
    ['(x)+[y]?', '(x)+[y]?', true],
    ['ab*ab*ab', 'ababab', true],
    ['ab*ab*ab', 'abab', false],
  ])('%s on %s is %s', (pattern, value, expected) => {
    expect(compileGlob(pattern).test(value)).toBe(expected);
  });

  it('agrees with the backtracking reference on random globs and values', () => {
    const alphabet = fc.constantFrom('a', 'b', '/', '.', '*', 'A');
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet, maxLength: 10 }),
        fc.string({ unit: fc.constantFrom('a', 'b', '/', '.', 'A', 'B'), maxLength: 14 }),
        (pattern, value) => {
          expect(compileGlob(pattern).test(value)).toBe(referenceMatch(pattern, value));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('answers the pattern that froze a backtracking engine', () => {
    const glob = compileGlob(`${'*a'.repeat(GLOB_LIMITS.maxWildcards)}z`);
    expect(glob.test('a'.repeat(2048))).toBe(false);
    expect(glob.test(`${'a'.repeat(2047)}z`)).toBe(true);
  });
});

describe('checkGlob', () => {
  it('counts a run of stars as one wildcard', () => {
    expect(checkGlob('*'.repeat(500))).toBeNull();
    expect(checkGlob('*a'.repeat(GLOB_LIMITS.maxWildcards))).toBeNull();
  });

  it('explains a glob with too many wildcards', () => {
    expect(checkGlob('*a'.repeat(GLOB_LIMITS.maxWildcards + 1))).toMatch(
      /at most 16 wildcards \(runs of \*\), got 17/,
    );
  });

  it('explains a glob that is too long', () => {
    expect(checkGlob('a'.repeat(GLOB_LIMITS.maxLength + 1))).toMatch(/at most 512 characters/);
  });
});
