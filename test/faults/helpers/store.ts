/** A database a collector process can be started on, and read by the test once it is gone. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../collector/src/db/database.ts';
import { openDatabase } from '../../../collector/src/db/open-database.ts';
import { createTestDatabase, type TestDatabase } from '../../../collector/src/testing/test-databases.ts';

/** Where each kind of collector keeps its data, and how the test reads it once the collector is gone. */
export type Store = {
  env: Record<string, string>;
  open(): Promise<Database>;
  release(db: Database): Promise<void>;
  drop(): Promise<void>;
};

export async function createStore(kind: 'pglite' | 'postgres'): Promise<Store> {
  if (kind === 'postgres') {
    const database: TestDatabase = await createTestDatabase('postgres');
    return {
      env: { DATABASE_URL: database.url ?? '' },
      open: async () => database,
      release: async () => {},
      drop: () => database.drop(),
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'leadbeam-faults-'));
  return {
    env: { LEADBEAM_DATA_DIR: dir },
    open: () => openDatabase({ dataDir: dir }),
    release: (db) => db.close(),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
