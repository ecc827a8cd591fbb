/**
 * One site at its worst on a real collector process: the costliest rules the schema allows, the
 * events that work them hardest, and a long backtest. The collector must keep answering other
 * sites and its health check while the backtest runs, shut down on SIGTERM within its grace
 * period, and log nothing personal throughout. (How fast the other site is served beside the
 * noise is measured by `pnpm bench`, not here.)
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { findLeaksInLogs } from '../../collector/src/testing/log-scan.ts';
import { DEMO_RULES } from '../../collector/src/testing/test-collector.ts';
import { DATABASE_KINDS } from '../../collector/src/testing/test-databases.ts';
import { costliestPageView, costliestRules } from '../bench/costliest-rules.ts';
import { type CollectorProcess, startCollectorProcess } from './helpers/collector-process.ts';
import { postBatch } from './helpers/load.ts';
import { createStore, type Store } from './helpers/store.ts';

/** server.ts forces an exit this long after SIGTERM when in-flight work has not finished. */
const GRACE_MS = 15_000;

const batchOf = (publicKey: string, device: string, events: object[]) =>
  JSON.stringify({
    site: publicKey,
    anonymousId: `device-${device}`,
    sessionId: `session-${device}`,
    sentAt: new Date().toISOString(),
    events: events.map((event) => ({ ...event, id: randomUUID(), ts: new Date().toISOString() })),
  });

describe.each(DATABASE_KINDS)('a noisy tenant on %s', (kind) => {
  let store: Store;
  let collector: CollectorProcess;
  let noisy: { publicKey: string; secretKey: string };
  let quietKey = '';

  beforeAll(async () => {
    store = await createStore(kind);
    const db = await store.open();
    noisy = await createSite(db.db, { name: 'Noisy', rules: DEMO_RULES });
    quietKey = (await createSite(db.db, { name: 'Quiet', rules: DEMO_RULES })).publicKey;
    await store.release(db);
    collector = await startCollectorProcess(store.env);
  });
  afterAll(async () => {
    await collector.kill('SIGKILL');
    await store.drop();
  });

  const api = (method: string, path: string, body: unknown) =>
    fetch(new URL(path, collector.url), {
      method,
      headers: { authorization: `Bearer ${noisy.secretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('publishes the costliest rules and takes the events that work them hardest', async () => {
    const published = await api('PUT', '/v1/scoring', costliestRules('tags'));
    expect(published.status).toBe(200);
    // Fifteen costly page views fill most of a 64 KiB body.
    for (let batch = 0; batch < 140; batch++) {
      const answer = await postBatch(
        collector.url,
        batchOf(noisy.publicKey, `noisy-${batch % 7}`, Array.from({ length: 15 }, costliestPageView)),
      );
      expect(answer.status).toBe(200);
    }
  });

  it('answers its health check and another site while the backtest runs, then stops on SIGTERM', async () => {
    let backtestAnsweredAt = Number.POSITIVE_INFINITY;
    const backtest = api('POST', '/v1/scoring/preview', costliestRules('path')).then(
      async (response) => {
        backtestAnsweredAt = performance.now();
        return { status: response.status, body: await response.text() };
      },
      () => ({ status: 0, body: 'connection closed' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const health = await fetch(new URL('/healthz', collector.url));
    const quiet = await postBatch(
      collector.url,
      batchOf(quietKey, 'quiet-1', [{ type: 'page_view', url: 'https://quiet.test/pricing' }]),
    );
    const answeredAt = performance.now();
    expect(health.status).toBe(200);
    expect(quiet.status).toBe(200);
    expect(answeredAt).toBeLessThan(backtestAnsweredAt);

    const stopping = performance.now();
    await collector.kill('SIGTERM');
    expect(performance.now() - stopping).toBeLessThan(GRACE_MS + 5_000);
    expect([0, 1]).toContain(collector.child.exitCode);
    // The backtest either finished in the grace period or was cut off with the process.
    expect([0, 200]).toContain((await backtest).status);
  });

  it('logged nothing personal', () => {
    expect(findLeaksInLogs(collector.output().split('\n'))).toEqual([]);
  });
});
