import { BACKOFF_BASE_MS, BACKOFF_MAX_MS } from './limits.ts';

/** Longest wait honoured from a Retry-After header (a day; also keeps setTimeout in range). */
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * Delay before retry number `failures + 1`: exponential (1 s, 2 s, 4 s … 5 min) with "equal
 * jitter" — between half and all of the step — so that tabs and visitors do not retry in step.
 */
export const backoffDelay = (failures: number, random = Math.random()): number => {
  const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** failures);
  return (step * (1 + random)) / 2;
};

/**
 * A Retry-After header (delay in seconds, or an HTTP date) as milliseconds from `now`, between 0
 * and a day; undefined when missing or unreadable. Unreadable means NaN, which fails both `>= 0`
 * and `< 0` (why rollup.config.mjs must not enable terser's `unsafe_comps`).
 */
export const parseRetryAfter = (header: string | null, now: number): number | undefined => {
  if (!header) return undefined;
  const seconds = +header;
  const ms = seconds >= 0 ? seconds * 1000 : Date.parse(header) - now;
  return ms >= 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : ms < 0 ? 0 : undefined;
};
