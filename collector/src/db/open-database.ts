import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { Database, Db } from './database.ts';
import * as schema from './schema.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export type DatabaseOptions =
  | {
      url: string;
      poolSize?: number;
      /** PostgreSQL's `backend_flush_after` for the collector's sessions, kB (0: the server's default). */
      flushAfterKb?: number;
    }
  /** PGlite in a folder, or in memory when `dataDir` is omitted. */
  | { dataDir?: string };

/** Opens the database and applies pending migrations. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if ('url' in options) {
    await migratePostgres(options.url);
    return openPostgres(options.url, options.poolSize ?? 10, options.flushAfterKb ?? DEFAULT_FLUSH_AFTER_KB);
  }
  const database = await openPglite(options.dataDir);
  await migratePglite(database);
  return database;
}

/**
 * The collector's sessions ask the kernel to write back the data pages they evict every 256 kB
 * (`backend_flush_after`, a per-session setting, off by default on the server). Ingest makes
 * backends evict dirty pages fast; left to the kernel, they pile up (~200 MB here) until the
 * flusher writes them all at once, and every COMMIT's WAL flush waits behind that burst:
 * commits of 110–150 ms, the paced benchmark's p99. Measured on this machine, three runs each
 * way: dirty page cache at most 38–72 MB against 191–208 MB, the worst 8 kB fsync beside the
 * load 47–76 ms against 80–147 ms, the paced step near 80% of peak p99 52–110 ms against 60–302.
 */
export const DEFAULT_FLUSH_AFTER_KB = 256;

/** The settings of every session the collector opens on PostgreSQL (sent in the startup packet). */
export function postgresSessionSettings(flushAfterKb: number): Record<string, string> {
  return {
    // Prepared statements are planned again at every execution, with their parameters. A generic
    // plan, cached per connection after five executions and made while the tables were small,
    // keeps its whole-table scans as they grow: on a fresh bench database the collector fell
    // from 7,000 to 2,700 events/s (p99 15 s, PostgreSQL at 140% CPU), and forcing generic plans
    // reproduces it (1,203 against 7,112 events/s at 32 concurrent requests). Preparing still
    // saves the describe round trip (db/prepared.ts).
    plan_cache_mode: 'force_custom_plan',
    ...(flushAfterKb > 0 ? { backend_flush_after: `${flushAfterKb}kB` } : {}),
  };
}

// postgres.js 3.4.x threw from a timer, killing the process, when a connection closed while a
// small write waited in `setImmediate` (porsager/postgres #1066, #1154, #1208; the guard of PRs
// #1168/#1209 is unreleased). patches/postgres@3.4.9.patch applies that guard at install time:
// a write on a closed connection fails its queries with CONNECTION_CLOSED (answered 503).
// The same patch settles each query through methods of its class instead of two closures made per
// query (`this.resolve = x => …`): while the calling code ran unoptimised — a fresh collector's
// first thousands of requests, sometimes longer — those closures kept every query's rows alive
// through V8's young-generation collections. Measured on the lead list (50 leads a page): 2.2–2.9
// MB promoted per scavenge, pauses of 4–8 ms, against 15–100 kB and under 1 ms patched; a loop of
// the bare query under `--no-opt` promoted 3–5.6 MB per scavenge against 56 kB.
async function openPostgres(url: string, poolSize: number, flushAfterKb: number): Promise<Database> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 5,
    idle_timeout: 60,
    prepare: true,
    connection: postgresSessionSettings(flushAfterKb),
    // Seconds before a closed connection may connect again. postgres.js grows it to 20 s over a
    // pool-wide count of failures, and every query waits it out before failing: an outage then
    // held requests ~20 s instead of answering 503, and recovery lagged as long. At most 1 s.
    backoff: (retries: number) => (0.5 + Math.random() / 2) * Math.min(0.05 * 2 ** retries, 1),
  });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = dataDir ? new PGlite(dataDir) : new PGlite();
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    ping: async () => void (await db.execute(sql`select 1`)),
    close: () => client.close(),
  };
}

async function migratePglite(database: Database): Promise<void> {
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  // biome-ignore lint/suspicious/noExplicitAny: the migrator wants the driver's own db type
  await migrate(database.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
}

/** Several collectors may start at once: one connection holds an advisory lock while it migrates. */
async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await client`select pg_advisory_lock(7240815)`;
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(7240815)`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
