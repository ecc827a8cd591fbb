import type { Executor } from '../db/database.ts';
import { hashSecretKey } from './keys.ts';
import { findSiteIdBySecretKeyHash } from './site-store.ts';

/** Which site a secret key belongs to (null: no site has it). */
export type SecretKeys = { siteIdOf(secretKey: string): Promise<string | null> };

/**
 * How long a secret key's answer is kept: 1 s. Keys are rotated by the CLI, another process, so
 * nothing here can be told; instead a rotated key keeps working for at most this long in each
 * collector process, and an unknown key is refused for at most this long after it became valid
 * (a new key is random, so in practice it was never asked before). Reads made one after another
 * (a CRM sync) then pay the lookup's round trip about once a second instead of on every request.
 */
export const SECRET_KEY_CACHE_MS = 1_000;

/** Entries beyond which the cache starts over: a flood of made-up keys cannot grow it without bound. */
const MAX_ENTRIES = 10_000;

/**
 * Secret key → site id, kept `ttlMs` per key (0: never kept). Entries are keyed by the key's hash,
 * so the process holds no usable key. `lookup` answers for a hash when the entry is missing or
 * expired; a failed lookup is not kept.
 */
export function createSecretKeyCache(
  lookup: (keyHash: string) => Promise<string | null>,
  ttlMs = SECRET_KEY_CACHE_MS,
  now: () => number = Date.now,
): SecretKeys {
  const entries = new Map<string, { siteId: string | null; expires: number }>();
  return {
    async siteIdOf(secretKey) {
      const keyHash = hashSecretKey(secretKey);
      const hit = entries.get(keyHash);
      if (hit && hit.expires > now()) return hit.siteId;
      const siteId = await lookup(keyHash);
      if (ttlMs > 0) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(keyHash, { siteId, expires: now() + ttlMs });
      }
      return siteId;
    },
  };
}

/** The cache over the `sites` table. */
export function secretKeysOf(db: Executor, ttlMs = SECRET_KEY_CACHE_MS, now?: () => number): SecretKeys {
  return createSecretKeyCache((keyHash) => findSiteIdBySecretKeyHash(db, keyHash), ttlMs, now);
}
