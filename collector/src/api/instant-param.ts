import { z } from '@hono/zod-openapi';

export const INSTANT_HINT =
  'must be an ISO 8601 time with a zone, like 2026-11-23T10:00:00Z, from year 1970 to 9999';

// zod's datetime takes year 0000 and offsets up to ±23:59; PostgreSQL refuses both.
const OFFSET = /([+-])(\d{2}):(\d{2})$/;
const MAX_OFFSET_MINUTES = 14 * 60;

function isCastable(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const offset = OFFSET.exec(text);
  const minutes = offset ? Number(offset[2]) * 60 + Number(offset[3]) : 0;
  return year >= 1970 && year <= 9999 && minutes <= MAX_OFFSET_MINUTES;
}

/**
 * An instant given as a query parameter (`at`, `since`, `updatedSince`): only texts that every
 * database casts to `timestamptz` pass, and the refusal says what is expected without echoing.
 */
export const instantParam = z.iso
  .datetime({ offset: true, error: INSTANT_HINT, abort: true })
  .max(40, { message: INSTANT_HINT, abort: true })
  .refine(isCastable, INSTANT_HINT);
