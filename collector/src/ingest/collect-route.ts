import { type CollectAnswer, LIMITS, validateBatch } from '@leadbeam/protocol';
import { type Context, Hono } from 'hono';
import { isbot } from 'isbot';
import { isUnavailableError } from '../db/db-errors.ts';
import { ApiError, storageUnavailable } from '../http/api-error.ts';
import type { Logger } from '../logger.ts';
import type { SiteCache } from '../sites/site-cache.ts';
import { parseUserAgent, truncateIp } from './client-facts.ts';
import { QueueFullError } from './group-commit.ts';
import type { IngestService } from './ingest-service.ts';
import { prepareBatch } from './prepare-batch.ts';
import { readJsonBody } from './read-body.ts';

export type CollectDeps = {
  /**
   * How long a request waits for its write before answering 503. Safe because writes are
   * idempotent: a write that still commits later is acknowledged as duplicates on the retry.
   */
  writeDeadlineMs?: number;
  sites: SiteCache;
  ingest: IngestService;
  now: () => Date;
  logger: Logger;
  clientIp: (c: Context) => string | null;
  /** Called before the write; throws an ApiError (429) when a limit is exceeded. */
  limit?: (c: Context, siteId: string, events: number) => void;
  /** Called before the body is read; throws an ApiError (429) when the client sends too much. */
  limitClient?: (c: Context) => void;
};

/** Answers with the request's origin so the SDK can read every answer; the site's origin list is enforced by 403. */
function allowOrigin(c: Context): void {
  c.header('Access-Control-Allow-Origin', c.req.header('origin') ?? '*');
  c.header('Vary', 'Origin');
}

/** `POST /v1/collect`: the SDK's beacons, validated, enriched, stored exactly once, answered after commit. */
export function collectRoute(deps: CollectDeps) {
  const app = new Hono();

  app.options('/collect', (c) => {
    allowOrigin(c);
    c.header('Access-Control-Allow-Methods', 'POST, OPTIONS');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  app.post('/collect', async (c) => {
    allowOrigin(c);
    deps.limitClient?.(c);
    const receivedAt = deps.now();
    // Saturated: refuse before reading and validating the body, so the refusal itself is cheap.
    if (deps.ingest.isFull()) throw saturated();
    const body = await readJsonBody(c, LIMITS.maxBodyBytes);
    const batch = validateBatch(body);
    if (!batch.ok) throw new ApiError(400, 'invalid_envelope', batch.message);

    const key = batch.envelope.site;
    if (key.startsWith('sk_')) {
      throw new ApiError(
        403,
        'secret_key_in_browser',
        'a secret key (sk_…) was sent to the collector: it must never appear in a web page; rotate it now and use the public key (pk_…)',
      );
    }
    const site = await deps.sites.byPublicKey(key).catch((error: unknown) => {
      throw isUnavailableError(error) ? storageUnavailable() : error;
    });
    if (!site) throw new ApiError(401, 'unknown_site', 'no site has this public key');
    const origin = c.req.header('origin');
    if (origin && site.allowedOrigins.length > 0 && !site.allowedOrigins.includes(origin)) {
      throw new ApiError(
        403,
        'origin_not_allowed',
        "the page's origin is not one of the site's allowed origins (see: leadbeam sites list)",
      );
    }

    const userAgent = c.req.header('user-agent') ?? '';
    const answer: CollectAnswer = { accepted: 0, duplicates: 0, rejected: batch.rejected };
    if (isbot(userAgent)) {
      c.header('Leadbeam-Dropped', 'bot');
      return c.json(answer);
    }
    if (batch.events.length === 0) return c.json(answer);
    deps.limit?.(c, site.id, batch.events.length);

    const prepared = prepareBatch(site, site.urlRules, batch.envelope, batch.events, {
      receivedAt,
      device: parseUserAgent(userAgent),
      ipPrefix: truncateIp(deps.clientIp(c)),
    });
    try {
      const result = await withDeadline(deps.ingest.submit(prepared), deps.writeDeadlineMs ?? 15_000);
      return c.json({ ...answer, accepted: result.accepted, duplicates: result.duplicates });
    } catch (error) {
      if (error instanceof DeadlineError) throw storageUnavailable();
      if (error instanceof QueueFullError) throw saturated();
      if (isUnavailableError(error)) throw storageUnavailable();
      throw error;
    }
  });

  return app;
}

class DeadlineError extends Error {}

/** The write's answer, or a DeadlineError when the database has not answered in time (a stalled connection). */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError()), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

const saturated = () =>
  new ApiError(503, 'storage_unavailable', 'the collector is saturated; nothing was stored, retry later', {
    'Retry-After': '1',
  });
