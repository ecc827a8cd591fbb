import { ApiError } from '../http/api-error.ts';

/** A position in a list ordered by (time, id): the exact database timestamp text and the id. */
export type CursorPosition = { at: string; id: string };

/** Opaque to clients: base64url of the position. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      !Number.isNaN(Date.parse(value[0]))
    )
      return { at: value[0], id: value[1] };
  } catch {}
  throw new ApiError(400, 'invalid_request', 'invalid cursor: pass back the nextCursor of a previous answer');
}
