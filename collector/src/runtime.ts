import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createApp, type LeadbeamApp } from './app.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { openDatabase } from './db/open-database.ts';
import type { Logger } from './logger.ts';
import { scoringPool } from './scoring/scoring-pool.ts';

export type RunningCollector = { url: string; app: LeadbeamApp; database: Database; close(): Promise<void> };

/** The client's address: the socket's, or the first X-Forwarded-For hop behind a trusted proxy. */
function clientIpReader(trustProxy: boolean) {
  return (c: Context): string | null => {
    if (trustProxy) {
      const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    try {
      return getConnInfo(c).remote.address ?? null;
    } catch {
      return null;
    }
  };
}

export function openConfiguredDatabase(config: Config): Promise<Database> {
  return config.DATABASE_URL
    ? openDatabase({
        url: config.DATABASE_URL,
        poolSize: config.LEADBEAM_DB_POOL,
        flushAfterKb: config.LEADBEAM_DB_FLUSH_AFTER_KB,
      })
    : openDatabase({ dataDir: config.LEADBEAM_DATA_DIR });
}

/** Opens the database, builds the app, listens, and returns a `close` that finishes in-flight requests first. */
export async function startCollector(
  config: Config,
  logger: Logger,
  secret: string,
): Promise<RunningCollector> {
  const database = await openConfiguredDatabase(config);
  const app = createApp({
    database,
    logger,
    secret,
    clientIp: clientIpReader(config.LEADBEAM_TRUST_PROXY),
    publicWebhookTargetsOnly: !config.LEADBEAM_WEBHOOK_PRIVATE_TARGETS,
    ingest: { maxQueue: config.LEADBEAM_MAX_QUEUE, concurrency: config.LEADBEAM_WRITE_CONCURRENCY },
    rateLimits: { perSite: config.LEADBEAM_RATE_LIMIT_SITE, perIp: config.LEADBEAM_RATE_LIMIT_IP },
    previewBudgetMs: config.LEADBEAM_PREVIEW_BUDGET_MS,
    ...(config.LEADBEAM_SDK_SCRIPT ? { sdkScriptPath: config.LEADBEAM_SDK_SCRIPT } : {}),
  });
  const server = serve({
    fetch: app.fetch,
    port: config.PORT,
    hostname: config.HOST,
    // Slow clients: headers must arrive within headersTimeout and the whole request within
    // requestTimeout. Node checks both only every connectionsCheckingInterval (30 s by default),
    // so check often enough for the timeouts to mean what they say.
    serverOptions: {
      headersTimeout: config.LEADBEAM_HEADERS_TIMEOUT_MS,
      requestTimeout: config.LEADBEAM_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1_000, config.LEADBEAM_HEADERS_TIMEOUT_MS),
    },
  }) as Server;
  server.maxConnections = config.LEADBEAM_MAX_CONNECTIONS;
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  const workers = app.startWorkers({ sweepIntervalMs: config.LEADBEAM_SWEEP_INTERVAL_MS });
  logger.log('info', 'collector listening', { url, driver: database.kind });

  let closing: Promise<void> | null = null;
  return {
    url,
    app,
    database,
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await app.ingest.drain();
        await workers.stop();
        await scoringPool().close();
        await database.close();
      })();
      return closing;
    },
  };
}
