/**
 * Crash safety: under load the collector is killed with SIGKILL (no graceful anything), started
 * again on the same database, and every event it acknowledged must be there exactly once.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../collector/src/db/database.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { findLeaksInLogs } from '../../collector/src/testing/log-scan.ts';
import { DEMO_RULES } from '../../collector/src/testing/test-collector.ts';
import { DATABASE_KINDS } from '../../collector/src/testing/test-databases.ts';
import { type CollectorProcess, startCollectorProcess } from './helpers/collector-process.ts';
import { type Load, postBatch, startLoad, waitUntil } from './helpers/load.ts';
import { createStore, type Store } from './helpers/store.ts';

describe.each(DATABASE_KINDS)('SIGKILL under load on %s', (kind) => {
  let store: Store;
  let publicKey = '';
  let siteId = '';
  let first: CollectorProcess;
  const running: CollectorProcess[] = [];
  let load: Load;
  let ackedBeforeKill = 0;

  beforeAll(async () => {
    store = await createStore(kind);
    const db = await store.open();
    const site = await createSite(db.db, { name: 'Crash', rules: DEMO_RULES });
    publicKey = site.publicKey;
    siteId = site.id;
    await store.release(db);
    first = await startCollectorProcess(store.env);
    running.push(first);
  });
  afterAll(async () => {
    for (const collector of running) await collector.kill('SIGKILL');
    await store.drop();
  });

  it('is killed under load, restarts on the same database and takes the resent batches', async () => {
    let url = first.url;
    load = startLoad({ url: () => url, publicKey, workers: 12, batchSize: 5 });
    await waitUntil(() => load.acknowledged.size >= 300, 30_000, '300 acknowledged events');
    await first.kill('SIGKILL');
    ackedBeforeKill = load.acknowledged.size;

    const second = await startCollectorProcess(store.env);
    running.push(second);
    url = second.url;
    await waitUntil(
      () => load.acknowledged.size >= ackedBeforeKill + 100,
      20_000,
      'load on the restarted collector',
    );
    await load.stop();
    // The SDK resends what was never acknowledged, with the same event ids.
    for (const batch of load.unacknowledged) {
      const answer = await postBatch(url, batch.body);
      expect(answer.status).toBe(200);
      for (const id of batch.ids) load.acknowledged.add(id);
    }
    await second.kill('SIGTERM');
    expect(second.child.exitCode).toBe(0);
  });

  it('finds every acknowledged event exactly once', async () => {
    expect(load.acknowledged.size).toBeGreaterThan(ackedBeforeKill);
    const database = await store.open();
    try {
      const ids = [...load.acknowledged];
      const stored = await queryRows<{ id: string; n: number }>(
        database.db,
        sql`select id, count(*)::int as n from events where site_id = ${siteId} group by id`,
      );
      const counts = new Map(stored.map((row) => [row.id, row.n]));
      const lost = ids.filter((id) => !counts.has(id));
      const doubled = stored.filter((row) => row.n !== 1);
      const [sessions] = await queryRows<{ events: number }>(
        database.db,
        sql`select coalesce(sum(event_count), 0)::int as events from sessions where site_id = ${siteId}`,
      );
      console.log(
        `[crash ${kind}] acknowledged before the kill: ${ackedBeforeKill}, acknowledged in all: ${ids.length}, ` +
          `unacknowledged batches resent: ${load.unacknowledged.length}, lost: ${lost.length}, stored twice: ${doubled.length}, ` +
          `answers: ${JSON.stringify(Object.fromEntries(load.statuses))}`,
      );
      expect(lost).toEqual([]);
      expect(doubled).toEqual([]);
      expect(stored.length).toBe(ids.length);
      // Derived state moved with the events: the sessions count exactly what was stored.
      expect(sessions?.events).toBe(ids.length);
    } finally {
      await store.release(database);
    }
  });

  it('logged nothing personal in either process', () => {
    expect(findLeaksInLogs(running.flatMap((collector) => collector.output().split('\n')))).toEqual([]);
  });
});
