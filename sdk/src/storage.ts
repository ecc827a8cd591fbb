/**
 * First-party storage: JSON values in localStorage and one cookie. Every access is guarded:
 * storage can be disabled, full, or throw in private modes, and the SDK must keep working (in
 * memory) when it does.
 */

/** The value stored under `key`, or undefined when missing, corrupt or unavailable. */
export const load = <T>(key: string): T | undefined => {
  try {
    return JSON.parse(localStorage[key]);
  } catch {
    // missing (JSON.parse(undefined) throws), corrupt or unavailable: undefined
  }
};

/** Stores `value` under `key` as JSON; undefined removes the key. */
export const save = (key: string, value?: unknown): void => {
  try {
    if (value === undefined) localStorage.removeItem(key);
    else localStorage[key] = JSON.stringify(value);
  } catch {
    // full or disabled: the caller keeps its copy in memory
  }
};

/** The value of the first-party cookie `name`, or undefined. */
export const readCookie = (name: string): string | undefined => {
  return document.cookie.match(`(?:^|; )${name}=([^;]*)`)?.[1];
};

/** Sets (or, with maxAgeSeconds 0, deletes) a first-party cookie for the whole site. */
export const writeCookie = (name: string, value: string, maxAgeSeconds: number): void => {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and not in every browser
  document.cookie = `${name}=${value};path=/;max-age=${maxAgeSeconds};samesite=lax${location.protocol === 'https:' ? ';secure' : ''}`;
};
