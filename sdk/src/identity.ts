import { createId, isOwnId } from './ids.ts';
import { ID_MAX_AGE_S } from './limits.ts';
import { load, readCookie, save, writeCookie } from './storage.ts';

/** Cookie and localStorage key of the anonymous (device) id. */
export const ID_KEY = 'lb_id';

/**
 * The device's anonymous id: read back from localStorage or the cookie (whichever survived),
 * else `known` (the id in memory, when storage is unavailable), else a new one; written to both
 * places so each refreshes the other.
 */
export const readAnonymousId = (known?: string): string =>
  storeAnonymousId([load<string>(ID_KEY), readCookie(ID_KEY), known].find(isOwnId) ?? createId());

/** Writes the id to localStorage and to a 13-month first-party cookie. */
export const storeAnonymousId = (id: string): string => {
  save(ID_KEY, id);
  writeCookie(ID_KEY, id, ID_MAX_AGE_S);
  return id;
};

/** Deletes the anonymous id from both places (consent withdrawn). */
export const forgetAnonymousId = (): void => {
  save(ID_KEY);
  writeCookie(ID_KEY, '', 0);
};
