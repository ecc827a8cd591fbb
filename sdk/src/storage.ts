/**
 * First-party storage. Every access is guarded: storage can be disabled, full, or throw in
 * private modes, and the SDK must keep working (in memory) when it does.
 */

/** The value under `key` in localStorage, or null. */
export function readLocal(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Writes `value` under `key` (null removes it). Returns false when storage refused. */
export function writeLocal(key: string, value: string | null): boolean {
  try {
    value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

/** Parsed JSON under `key`, or undefined when missing or corrupt. */
export function readJson<T>(key: string): T | undefined {
  try {
    return JSON.parse(readLocal(key) as string) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The value of the first-party cookie `name`, or undefined. */
export function readCookie(name: string): string | undefined {
  return document.cookie.match(`(?:^|; )${name}=([^;]*)`)?.[1];
}

/** Sets (or, with maxAgeSeconds 0, deletes) a first-party cookie for the whole site. */
export function writeCookie(name: string, value: string, maxAgeSeconds: number): void {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is async and not in every browser
  document.cookie = `${name}=${value};path=/;max-age=${maxAgeSeconds};samesite=lax${location.protocol === 'https:' ? ';secure' : ''}`;
}
