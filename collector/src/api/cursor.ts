import { ApiError } from '../http/api-error.ts';
import { isId } from './id-format.ts';

/** A position in a list ordered by (time, id): the exact database timestamp text and the id. */
export type CursorPosition = { at: string; id: string };

/** Far above any cursor the server makes (about 100 characters), far below anything costly to decode. */
export const MAX_CURSOR_LENGTH = 200;

export const CURSOR_HINT = 'pass back the nextCursor of a previous answer';

// What `exactTime` (lead-rows.ts) makes: PostgreSQL's to_char in UTC, to the microsecond.
const EXACT_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Opaque to clients: base64url of the position. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

/**
 * The position a cursor of this server holds, or null. Only what `encodeCursor` makes of a
 * database time and an id is accepted, byte for byte: the time then always casts in SQL, where
 * `Date.parse` would let through texts PostgreSQL refuses (`1`, `GMT+9999`, year 275760).
 */
export function parseCursor(cursor: string): CursorPosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [at, id] = value;
  if (typeof at !== 'string' || typeof id !== 'string' || !isExactTime(at) || !isId(id)) return null;
  const position = { at, id };
  return encodeCursor(position) === cursor ? position : null;
}

/** The position of a `cursor` query parameter (null without one); 400 for anything else. */
export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  const position = parseCursor(cursor);
  if (position === null) throw new ApiError(400, 'invalid_request', `invalid cursor: ${CURSOR_HINT}`);
  return position;
}

/** A real instant from 1970 to 9999 in `exactTime`'s format: the calendar is checked by a round trip. */
function isExactTime(text: string): boolean {
  const year = Number(EXACT_TIME.exec(text)?.[1]);
  if (!(year >= 1970 && year <= 9999)) return false;
  const toMillisecond = `${text.slice(0, 23)}Z`;
  const ms = Date.parse(toMillisecond);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === toMillisecond;
}
