/**
 * The bench's own database: a new PostgreSQL database on DATABASE_URL's server (dropped at the
 * end), or a PGlite data folder in a temporary directory. The collector process gets its own
 * connection settings; the bench opens the same database directly to load and verify.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../collector/src/db/database.ts';
import { openDatabase } from '../../collector/src/db/open-database.ts';

export type BenchKind = 'pglite' | 'postgres';

export type BenchDatabase = {
  kind: BenchKind;
  /** Environment that points the collector at this database. */
  collectorEnv: Record<string, string>;
  /** Opens it from the bench process (PGlite: only while no collector has the folder open). */
  open(): Promise<Database>;
  drop(): Promise<void>;
};

export async function createBenchDatabase(kind: BenchKind): Promise<BenchDatabase> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'leadbeam-bench-'));
    const dataDir = join(dir, 'data');
    return {
      kind,
      collectorEnv: { LEADBEAM_DATA_DIR: dataDir },
      open: () => openDatabase({ dataDir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl)
    throw new Error('the postgres bench needs DATABASE_URL (a server where it may create a database)');
  const name = `leadbeam_bench_${randomBytes(5).toString('hex')}`;
  const { default: postgres } = await import('postgres');
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    collectorEnv: { DATABASE_URL: url.toString() },
    open: () => openDatabase({ url: url.toString(), poolSize: 8 }),
    drop: async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}
