/** Milliseconds per duration unit. `m` is minutes (months are ambiguous, write `30d`). */
const UNIT_MS = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

/** A positive number and a unit: `30d`, `12h`, `90m`, `2w`, `1.5d`, `45s`, `500ms`. */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

export const DURATION_HINT = 'a duration like "30d", "12h", "90m" or "2w" (units: ms, s, m, h, d, w)';

/** Converts a duration such as `"30d"` into milliseconds; null when the text is not a duration. */
export function parseDuration(text: string): number | null {
  const found = DURATION_PATTERN.exec(text.trim());
  if (!found) return null;
  const ms = Number(found[1]) * UNIT_MS[found[2] as keyof typeof UNIT_MS];
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) : null;
}

/** Checks a duration against bounds; returns the reason it is refused, or null when it is fine. */
export function checkDuration(text: string, min: string, max: string): string | null {
  const ms = parseDuration(text);
  if (ms === null) return `must be ${DURATION_HINT}, got ${JSON.stringify(text)}`;
  if (ms < (parseDuration(min) as number)) return `must be at least ${min}, got "${text}"`;
  if (ms > (parseDuration(max) as number)) return `must be at most ${max}, got "${text}"`;
  return null;
}
