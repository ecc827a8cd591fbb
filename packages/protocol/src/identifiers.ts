import { LIMITS } from './limits.ts';

/**
 * Values that buggy integrations send as ids. Stitching on them would glue strangers together
 * (the PostHog and Mautic mis-merge reports), so they are refused outright.
 */
const JUNK_IDS = new Set([
  'null',
  'undefined',
  'none',
  'nil',
  'nan',
  'false',
  'true',
  '0',
  '-1',
  'anonymous',
  'anon',
  'guest',
  'unknown',
  'user',
  'id',
  'distinct_id',
  'anonymous_id',
  '[object object]',
  'not_authenticated',
  '00000000-0000-0000-0000-000000000000',
]);

const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;

/** True for ids that must never identify a device or session. */
export function isJunkId(id: string): boolean {
  const lower = id.trim().toLowerCase();
  return JUNK_IDS.has(lower) || /^(.)\1*$/.test(lower);
}

/** True when `id` may serve as an anonymous or session id. */
export function isValidClientId(id: string): boolean {
  return (
    id.length >= LIMITS.minIdLength && id.length <= LIMITS.maxIdLength && ID_PATTERN.test(id) && !isJunkId(id)
  );
}
