/**
 * Database outage. The machine's PostgreSQL is shared with the other suites running in
 * parallel, so it is never stopped: a TCP proxy sits between this collector and PostgreSQL and
 * is cut (every connection destroyed, new ones refused) under load, then restored.
 */
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../collector/src/config.ts';
import { queryRows } from '../../collector/src/db/database.ts';
import { createMemoryLogger } from '../../collector/src/logger.ts';
import { type RunningCollector, startCollector } from '../../collector/src/runtime.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { findLeaksInLogs } from '../../collector/src/testing/log-scan.ts';
import { DEMO_RULES } from '../../collector/src/testing/test-collector.ts';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../../collector/src/testing/test-databases.ts';
import { type Load, postBatch, startLoad, waitUntil } from './helpers/load.ts';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.ts';

const SECRET = 'outage-secret-outage-secret-outage-secret-1';

describe('the TCP proxy of this test', () => {
  it('forwards, cuts every connection, refuses new ones and comes back on the same port', async () => {
    const echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const address = echo.address();
    const proxy = await startTcpProxy({
      host: '127.0.0.1',
      port: typeof address === 'object' && address ? address.port : 0,
    });
    const { connect } = await import('node:net');
    const roundTrip = () =>
      new Promise<string>((resolve) => {
        const socket = connect(proxy.port, '127.0.0.1', () => socket.write('ping'));
        socket.once('data', (data) => {
          resolve(data.toString());
          socket.destroy();
        });
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
    expect(await roundTrip()).toBe('ping');
    const open = connect(proxy.port, '127.0.0.1');
    await new Promise((resolve) => open.once('connect', resolve));
    const closed = new Promise((resolve) => open.once('close', resolve));
    await proxy.cut();
    await closed;
    expect(await roundTrip()).toBe('ECONNREFUSED');
    await proxy.restore();
    expect(await roundTrip()).toBe('ping');
    await proxy.close();
    echo.close();
  });
});

describe.each(DATABASE_KINDS.filter((kind) => kind === 'postgres'))('a %s outage under load', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let collector: RunningCollector;
  let publicKey = '';
  let siteId = '';
  let load: Load;
  const logger = createMemoryLogger();

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const site = await createSite(database.db, { name: 'Outage', rules: DEMO_RULES });
    publicKey = site.publicKey;
    siteId = site.id;
    const direct = new URL(database.url ?? '');
    proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const parsed = parseConfig({
      DATABASE_URL: viaProxy.toString(),
      PORT: '0',
      LEADBEAM_SECRET: SECRET,
      LEADBEAM_DB_POOL: '4',
      LEADBEAM_RATE_LIMIT_IP: '100000000',
      LEADBEAM_RATE_LIMIT_SITE: '100000000',
    });
    if (!parsed.ok) throw new Error(parsed.message);
    collector = await startCollector(parsed.config, logger, SECRET);
  });
  afterAll(async () => {
    await load?.stop();
    await proxy?.restore();
    await collector?.close();
    await proxy?.close();
    await database?.drop();
  });

  const health = async () => {
    const response = await fetch(`${collector.url}/healthz`);
    return {
      status: response.status,
      body: (await response.json()) as { database: string },
      retryAfter: response.headers.get('retry-after'),
    };
  };

  it('answers 503 with Retry-After, fast, while the database is unreachable, and /healthz says so', async () => {
    load = startLoad({ url: () => collector.url, publicKey, workers: 8, batchSize: 5 });
    await waitUntil(() => load.acknowledged.size >= 200, 30_000, '200 acknowledged events');
    await proxy.cut();
    // Answers to transactions that committed just before the cut may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ackedAtCut = load.acknowledged.size;

    // Probes while the database is away: each must be refused quickly and clearly.
    const probes: { status: number | 'error'; retryAfter: string | null; ms: number }[] = [];
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      const now = new Date().toISOString();
      const answer = await postBatch(
        collector.url,
        JSON.stringify({
          site: publicKey,
          anonymousId: `probe-device-${i}-0001`,
          sessionId: `probe-session-${i}-0001`,
          sentAt: now,
          events: [{ id: crypto.randomUUID(), type: 'page_view', ts: now, url: 'https://acme.test/outage' }],
        }),
      );
      probes.push({ status: answer.status, retryAfter: answer.retryAfter, ms: Date.now() - started });
      expect(answer.body).toMatchObject({ error: { code: 'storage_unavailable' } });
    }
    const healthDuringOutage = await health();
    console.log(
      `[outage] probes while cut: ${JSON.stringify(probes)}; health: ${JSON.stringify(healthDuringOutage)}`,
    );
    for (const probe of probes) {
      expect(probe.status).toBe(503);
      expect(Number(probe.retryAfter)).toBeGreaterThanOrEqual(1);
      expect(probe.ms).toBeLessThan(6_000);
    }
    expect(healthDuringOutage).toMatchObject({ status: 503, body: { database: 'unavailable' } });
    expect(healthDuringOutage.retryAfter).toBeTruthy();
    // Nothing was acknowledged while the database was unreachable.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(load.acknowledged.size).toBe(ackedAtCut);
  });

  it('recovers by itself once the database is back and loses nothing it acknowledged', async () => {
    const ackedBefore = load.acknowledged.size;
    await proxy.restore();
    const restored = Date.now();
    await waitUntil(async () => (await health()).status === 200, 20_000, '/healthz to recover');
    await waitUntil(
      () => load.acknowledged.size >= ackedBefore + 100,
      20_000,
      'acknowledgements after recovery',
    );
    const recoveryMs = Date.now() - restored;
    await load.stop();
    for (const batch of load.unacknowledged) {
      expect((await postBatch(collector.url, batch.body)).status).toBe(200);
      for (const id of batch.ids) load.acknowledged.add(id);
    }
    const rows = await queryRows<{ id: string }>(
      database.db,
      sql`select id from events where site_id = ${siteId}`,
    );
    const stored = new Set(rows.map((row) => row.id));
    const lost = [...load.acknowledged].filter((id) => !stored.has(id));
    const statuses = Object.fromEntries(load.statuses);
    console.log(
      `[outage] acknowledged: ${load.acknowledged.size}, stored: ${stored.size}, lost: ${lost.length}, ` +
        `recovered in ${recoveryMs} ms, answers under load: ${JSON.stringify(statuses)}, 503/429 without Retry-After: ${load.retryAfterMissing}`,
    );
    expect(lost).toEqual([]);
    expect(rows.length).toBe(stored.size);
    expect(Object.keys(statuses).sort()).toEqual(expect.arrayContaining(['200', '503']));
    expect(Object.keys(statuses).filter((status) => status !== '200' && status !== '503')).toEqual([]);
    expect(load.retryAfterMissing).toBe(0);
    expect(logger.lines.filter((line) => line.includes('unhandled error'))).toEqual([]);
    expect(findLeaksInLogs(logger.lines)).toEqual([]);
  });
});
