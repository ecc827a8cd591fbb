import type { Context } from 'hono';
import { ApiError } from './api-error.ts';

/** The answer of a bucket: let it through, or come back in `retryAfterSeconds`. */
export type Take = { ok: true } | { ok: false; retryAfterSeconds: number };

export type TokenBuckets = {
  /** Takes `cost` tokens from `key`'s bucket (a cost above the capacity costs the whole bucket). */
  take(key: string, cost?: number): Take;
  size(): number;
};

/**
 * Token buckets in this process's memory: each key holds at most `perMinute` tokens (the burst)
 * and regains `perMinute` a minute. Several collectors each keep their own buckets, so behind a
 * load balancer of N processes a client may get up to N times the limit.
 */
export function createTokenBuckets(
  perMinute: number,
  options: { now?: () => number; maxKeys?: number } = {},
): TokenBuckets {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const perMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();

  const level = (bucket: { tokens: number; at: number }, t: number) =>
    Math.min(perMinute, bucket.tokens + (t - bucket.at) * perMs);

  /** Drops the buckets that have refilled: they behave exactly like absent ones. */
  const prune = (t: number) => {
    for (const [key, bucket] of buckets) if (level(bucket, t) >= perMinute) buckets.delete(key);
    if (buckets.size >= maxKeys) buckets.clear();
  };

  return {
    take(key, cost = 1) {
      const t = now();
      const charge = Math.min(cost, perMinute);
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) prune(t);
        bucket = { tokens: perMinute, at: t };
        buckets.set(key, bucket);
      }
      const tokens = level(bucket, t);
      if (tokens < charge) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((charge - tokens) / perMs / 1000)) };
      }
      bucket.tokens = tokens - charge;
      bucket.at = t;
      return { ok: true };
    },
    size: () => buckets.size,
  };
}

export type CollectRateLimits = {
  /** Events a site may send a minute, per collector process. */
  perSite: number;
  /** Requests one client address may send a minute, per collector process. */
  perIp: number;
};

function refuse(what: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'rate_limited', `too many ${what}; retry in ${retryAfterSeconds} s`, {
    'Retry-After': String(retryAfterSeconds),
  });
}

/**
 * The collect route's two limits: requests per client address (checked before the body is
 * read, so floods of junk cost nothing) and events per site (checked once the batch is valid).
 */
export function createCollectRateLimiter(
  limits: CollectRateLimits,
  clientIp: (c: Context) => string | null,
  now: () => number = Date.now,
) {
  const sites = createTokenBuckets(limits.perSite, { now });
  const addresses = createTokenBuckets(limits.perIp, { now });
  return {
    limitClient(c: Context): void {
      const ip = clientIp(c);
      if (!ip) return;
      const taken = addresses.take(ip);
      if (!taken.ok) throw refuse('requests from this address', taken.retryAfterSeconds);
    },
    limitSite(_c: Context, siteId: string, events: number): void {
      const taken = sites.take(siteId, events);
      if (!taken.ok) throw refuse('events for this site', taken.retryAfterSeconds);
    },
  };
}
