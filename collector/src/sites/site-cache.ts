import type { Executor } from '../db/database.ts';
import { type CompiledUrlRule, compileUrlRules } from '../ingest/url-rules.ts';
import { findSiteByPublicKey, type Site } from './site-store.ts';

export type CachedSite = Site & { urlRules: CompiledUrlRule[] };

/**
 * Sites by public key, kept a few seconds: the collect path then needs no query per request, and
 * a rotated key or new setting reaches every collector process within `ttlMs`.
 */
export function createSiteCache(db: Executor, ttlMs = 5_000, now: () => number = Date.now) {
  const entries = new Map<string, { site: CachedSite | null; expires: number }>();
  return {
    async byPublicKey(publicKey: string): Promise<CachedSite | null> {
      const hit = entries.get(publicKey);
      if (hit && hit.expires > now()) return hit.site;
      const site = await findSiteByPublicKey(db, publicKey);
      const cached = site ? { ...site, urlRules: compileUrlRules(site.settings.urlRules) } : null;
      if (entries.size > 10_000) entries.clear();
      entries.set(publicKey, { site: cached, expires: now() + (cached ? ttlMs : Math.min(ttlMs, 1_000)) });
      return cached;
    },
    clear: () => entries.clear(),
  };
}

export type SiteCache = ReturnType<typeof createSiteCache>;
