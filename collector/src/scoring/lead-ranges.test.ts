import { describe, expect, it } from 'vitest';
import { rangesBetween } from './lead-ranges.ts';

describe('rangesBetween', () => {
  it('is one open range when there is no bound', () => {
    expect(rangesBetween([])).toEqual([{ after: null, through: null }]);
  });

  it('splits at every bound, the first range open below and the last open above', () => {
    expect(rangesBetween(['c', 'f'])).toEqual([
      { after: null, through: 'c' },
      { after: 'c', through: 'f' },
      { after: 'f', through: null },
    ]);
  });

  it('puts every id in exactly one range, ids created after the bounds included', () => {
    const ranges = rangesBetween(['b', 'd', 'f']);
    const inRange = (id: string) =>
      ranges.filter((r) => (r.after === null || id > r.after) && (r.through === null || id <= r.through));
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'zz']) expect(inRange(id)).toHaveLength(1);
  });
});
