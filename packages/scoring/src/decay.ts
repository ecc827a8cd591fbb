/** The share of a point left after `elapsedMs`: 1 now, ½ after one half-life, ¼ after two. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return 2 ** (-elapsedMs / halfLifeMs);
}

/**
 * Moves a value known at `from` to `to` (`to` ≥ `from`): the (value, anchor) pair of one rule read
 * at a later instant. Exact: decaying in one step or in several gives the same result.
 */
export function decayValue(value: number, from: number, to: number, halfLifeMs: number): number {
  return to === from ? value : value * decayFactor(to - from, halfLifeMs);
}
