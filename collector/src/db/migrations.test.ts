import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from './database.ts';
import { MIGRATIONS_FOLDER, openDatabase } from './open-database.ts';

/** A copy of the migrations folder holding only the first `count` migrations. */
function firstMigrations(dir: string, count: number): string {
  const folder = join(dir, 'migrations');
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: unknown[] };
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, count) }));
  return folder;
}

describe('migration 0001: score_state and event data become json', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every stored state and event field, and stores new ones as json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadbeam-migrate-'));
    dirs.push(dir);
    const dataDir = join(dir, 'data');
    const { PGlite } = await import('@electric-sql/pglite');
    const { drizzle } = await import('drizzle-orm/pglite');
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    const client = new PGlite(dataDir);
    const old = drizzle(client);
    await migrate(old, { migrationsFolder: firstMigrations(dir, 1) });
    const state = {
      version: 1,
      lastEventAt: 1795305540000,
      rules: { demo: { value: 14.999759327113662, anchor: 1 } },
    };
    const data = { tags: ['pricing'], title: 'Pricing — "plans"', step: 2 };
    await old.execute(sql`insert into leads (site_id, id, score_state, first_seen, last_seen)
      values ('site_a', 'lead_a', ${JSON.stringify(state)}::jsonb, now(), now())`);
    await old.execute(sql`insert into events (site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, data)
      values ('site_a', 'event_a', 'lead_a', 'device_a', 'session_a', 'page_view', now(), now(), ${JSON.stringify(data)}::jsonb)`);
    await client.close();

    const database = await openDatabase({ dataDir });
    try {
      const [lead] = await queryRows<{ state: unknown; type: string }>(
        database.db,
        sql`select score_state as state, pg_typeof(score_state)::text as type from leads where id = 'lead_a'`,
      );
      const [event] = await queryRows<{ data: unknown; type: string }>(
        database.db,
        sql`select data, pg_typeof(data)::text as type from events where id = 'event_a'`,
      );
      expect(lead).toEqual({ state, type: 'json' });
      expect(event).toEqual({ data, type: 'json' });
      const [fresh] = await queryRows<{ state: unknown }>(
        database.db,
        sql`insert into leads (site_id, id, first_seen, last_seen) values ('site_a', 'lead_b', now(), now())
            returning score_state as state`,
      );
      expect(fresh?.state).toEqual({});
    } finally {
      await database.close();
    }
  });
});
