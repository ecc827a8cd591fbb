/** A random RFC 4122 version 4 UUID: `crypto.randomUUID` where available (secure contexts only). */
export function createId(): string {
  return crypto.randomUUID?.() ?? fallbackUuid();
}

/**
 * Version 4 UUID from `crypto.getRandomValues`, for plain-http pages that lack `randomUUID`:
 * each 0, 1 or 8 of the template becomes a random hex digit; the 4 (version) stays and the 8
 * (variant) keeps its top bits, 8–b.
 */
export function fallbackUuid(): string {
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    (+digit ^ ((crypto.getRandomValues(new Uint8Array(1))[0] as number) & (15 >> (+digit / 4)))).toString(16),
  );
}

/** True for ids this SDK made (36 characters of hex and dashes); anything else found in storage is replaced. */
export function isOwnId(id: string | null | undefined): id is string {
  return /^[\da-f-]{36}$/.test(id ?? '');
}
