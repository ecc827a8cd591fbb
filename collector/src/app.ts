import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { leadApi } from './api/lead-api.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Database } from './db/database.ts';
import { describeError } from './describe-error.ts';
import { createErrorHandler, notFound } from './http/error-handler.ts';
import { type CollectRateLimits, createCollectRateLimiter } from './http/rate-limit.ts';
import { sdkScriptRoute } from './http/sdk-script-route.ts';
import { collectRoute } from './ingest/collect-route.ts';
import { createIngestService, type IngestOptions } from './ingest/ingest-service.ts';
import { type Logger, silentLogger } from './logger.ts';
import { sweepDecayedMqls } from './scoring/rescore-site.ts';
import { createSiteCache } from './sites/site-cache.ts';
import { listSites } from './sites/site-store.ts';
import { createWebhookDispatcher } from './webhooks/dispatcher.ts';
import { createSecretBox } from './webhooks/secret-box.ts';

export const DEFAULT_SDK_SCRIPT = fileURLToPath(new URL('../../sdk/dist/lb.js', import.meta.url));

/**
 * The collector answers JSON and one script: no answer may be rendered as a page, framed or
 * sniffed. Cross-origin reads of `lb.js` and `/v1/collect` stay allowed (CORP), as pages need them.
 */
const STRICT_HEADERS: Parameters<typeof secureHeaders>[0] = {
  crossOriginResourcePolicy: 'cross-origin',
  xFrameOptions: 'DENY',
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

export type AppDeps = {
  database: Database;
  clock?: Clock;
  logger?: Logger;
  /** The client's address (before truncation); the server passes the socket's or the proxy's. */
  clientIp?: (c: Context) => string | null;
  sdkScriptPath?: string;
  ingest?: IngestOptions;
  /** How long a site (keys, origins, URL rules) is cached by the collect path. */
  siteCacheMs?: number;
  /** Encrypts webhook secrets at rest. */
  secret?: string;
  /** Sends webhook deliveries; tests pass a fake. */
  fetch?: typeof fetch;
  /** Refuse webhook targets that resolve to private addresses (SSRF); on in production. */
  publicWebhookTargetsOnly?: boolean;
  /** Rate limits of `/v1/collect`, per process; none when omitted. */
  rateLimits?: CollectRateLimits;
  /** How long a backtest of proposed rules may run before it is stopped and answered 503. */
  previewBudgetMs?: number;
};

/** Builds the collector from its dependencies; `server.ts` only reads the environment and listens. */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const { database } = deps;
  const ingest = createIngestService(database, deps.ingest);
  const sites = createSiteCache(database.db, deps.siteCacheMs ?? 5_000);
  const box = createSecretBox(deps.secret ?? 'leadbeam-development-secret-do-not-use-in-production');
  const webhooks = createWebhookDispatcher({
    db: database.db,
    box,
    clock,
    logger,
    publicTargetsOnly: deps.publicWebhookTargetsOnly ?? false,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const sweep = async () => {
    const siteIds = (await listSites(database.db)).map((site) => site.id);
    return sweepDecayedMqls(database.db, siteIds, clock.now());
  };

  const app = new Hono();
  app.use(requestId({ headerName: 'Leadbeam-Request-Id' }));
  // Every answer, errors and 404s included: nothing the collector sends is a document to render.
  app.use('*', secureHeaders(STRICT_HEADERS));
  const aborts = { aborted: 0 };
  app.onError(createErrorHandler(logger, aborts));
  app.notFound(notFound);

  app.get('/healthz', async (c) => {
    const database = await Promise.race([
      deps.database.ping().then(() => 'ok' as const),
      new Promise<'unavailable'>((resolve) => setTimeout(() => resolve('unavailable'), 2_000).unref()),
    ]).catch(() => 'unavailable' as const);
    const body = {
      status: database === 'ok' ? 'ok' : 'degraded',
      database,
      driver: deps.database.kind,
      queue: ingest.size(),
      // Uploads the client abandoned (or the server timed out) since the process started.
      abortedRequests: aborts.aborted,
    };
    if (database !== 'ok') c.header('Retry-After', '2');
    return c.json(body, database === 'ok' ? 200 : 503);
  });
  const clientIp = deps.clientIp ?? (() => null);
  const limiter =
    deps.rateLimits && createCollectRateLimiter(deps.rateLimits, clientIp, () => clock.now().getTime());
  app.route('/', sdkScriptRoute(deps.sdkScriptPath ?? DEFAULT_SDK_SCRIPT));
  app.route(
    '/v1',
    collectRoute({
      sites,
      ingest,
      now: () => clock.now(),
      logger,
      clientIp,
      ...(limiter ? { limit: limiter.limitSite, limitClient: limiter.limitClient } : {}),
    }),
  );
  app.route(
    '/',
    leadApi({
      db: database.db,
      clock,
      box,
      logger,
      publicWebhookTargetsOnly: deps.publicWebhookTargetsOnly ?? false,
      ...(deps.previewBudgetMs === undefined ? {} : { previewBudgetMs: deps.previewBudgetMs }),
    }),
  );
  /** Background work of a running collector: webhook deliveries and the MQL decay sweep. */
  const startWorkers = (options: { sweepIntervalMs?: number; dispatchIntervalMs?: number } = {}) => {
    let running: Promise<unknown> = Promise.resolve();
    const every = (ms: number, task: () => Promise<unknown>, name: string) =>
      setInterval(() => {
        running = running
          .then(task)
          .catch((error: unknown) => logger.log('error', `${name} failed`, describeError(error)));
      }, ms);
    const timers = [
      every(options.dispatchIntervalMs ?? 1_000, () => webhooks.runOnce(), 'webhook dispatch'),
      every(options.sweepIntervalMs ?? 60_000, sweep, 'MQL sweep'),
    ];
    return {
      stop: async () => {
        for (const timer of timers) clearInterval(timer);
        await running;
      },
    };
  };

  return Object.assign(app, { ingest, sites, webhooks, sweep, box, startWorkers });
}

export type LeadbeamApp = ReturnType<typeof createApp>;
