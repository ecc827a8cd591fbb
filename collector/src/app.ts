import { fileURLToPath } from 'node:url';
import { type Context, Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { type Clock, systemClock } from './clock.ts';
import type { Database } from './db/database.ts';
import { createErrorHandler, notFound } from './http/error-handler.ts';
import { sdkScriptRoute } from './http/sdk-script-route.ts';
import { collectRoute } from './ingest/collect-route.ts';
import { createIngestService, type IngestOptions } from './ingest/ingest-service.ts';
import { type Logger, silentLogger } from './logger.ts';
import { createSiteCache } from './sites/site-cache.ts';

export const DEFAULT_SDK_SCRIPT = fileURLToPath(new URL('../../sdk/dist/lb.js', import.meta.url));

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
};

/** Builds the collector from its dependencies; `server.ts` only reads the environment and listens. */
export function createApp(deps: AppDeps) {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger;
  const { database } = deps;
  const ingest = createIngestService(database, deps.ingest);
  const sites = createSiteCache(database.db, deps.siteCacheMs ?? 5_000);

  const app = new Hono();
  app.use(requestId({ headerName: 'Leadbeam-Request-Id' }));
  app.use('/v1/*', secureHeaders({ crossOriginResourcePolicy: 'cross-origin' }));
  app.onError(createErrorHandler(logger));
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
    };
    if (database !== 'ok') c.header('Retry-After', '2');
    return c.json(body, database === 'ok' ? 200 : 503);
  });
  app.route('/', sdkScriptRoute(deps.sdkScriptPath ?? DEFAULT_SDK_SCRIPT));
  app.route(
    '/v1',
    collectRoute({
      sites,
      ingest,
      now: () => clock.now(),
      logger,
      clientIp: deps.clientIp ?? (() => null),
    }),
  );
  return Object.assign(app, { ingest, sites });
}

export type LeadbeamApp = ReturnType<typeof createApp>;
