import { createId, isOwnId } from './ids.ts';
import { ID_MAX_AGE_S } from './limits.ts';
import { readCookie, readLocal, writeCookie, writeLocal } from './storage.ts';

/** Cookie and localStorage key of the anonymous (device) id. */
export const ID_KEY = 'lb_id';

/**
 * The device's anonymous id: read back from localStorage or the cookie (whichever survived),
 * else `known` (the id in memory, when storage is unavailable), else a new one; written to both
 * places so each refreshes the other.
 */
export function readAnonymousId(known?: string): string {
  const stored = readLocal(ID_KEY);
  const id = isOwnId(stored) ? stored : (readCookie(ID_KEY) ?? known);
  return storeAnonymousId(isOwnId(id) ? id : createId());
}

/** Writes the id to localStorage and to a 13-month first-party cookie. */
export function storeAnonymousId(id: string): string {
  writeLocal(ID_KEY, id);
  writeCookie(ID_KEY, id, ID_MAX_AGE_S);
  return id;
}

/** Deletes the anonymous id from both places (consent withdrawn). */
export function forgetAnonymousId(): void {
  writeLocal(ID_KEY, null);
  writeCookie(ID_KEY, '', 0);
}
