import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { createTestCollector, DEMO_RULES, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, sendBuyingVisit } from './api-test-kit.ts';

/** Rules at the match budget whose every glob searches the whole value: the costliest a site may publish. */
const COSTLIEST_RULES = {
  mql: { threshold: 100 },
  rules: Array.from({ length: 72 }, (_, index) => ({
    id: `search-${index}`,
    on: 'page_view',
    match: { path: `/${'*a'.repeat(14)}*c*` },
    points: 1,
  })),
};

describe.each(DATABASE_KINDS)('rule backtests on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind, { deps: { previewBudgetMs: 50 } });
    api = apiClient(t);
    await sendBuyingVisit(t, 'ivy@acme.test');
    // Long paths that every costly glob must search to the end.
    const path = `/${'a'.repeat(1900)}`;
    // 25 such page views fit the 64 KiB body limit.
    for (let batch = 0; batch < 16; batch++) {
      const sent = await t.send({ events: Array.from({ length: 25 }, () => page(path, { title: 'Long' })) });
      expect(sent.status).toBe(200);
    }
  });
  afterAll(() => t.close());

  it('stops a backtest that runs past its budget and answers 503 timeout, saving nothing', async () => {
    const answer = await api('POST', '/v1/scoring/preview', COSTLIEST_RULES);
    expect(answer.status).toBe(503);
    expect(answer.body.error).toEqual({
      code: 'timeout',
      message: 'the backtest ran past its budget of 0.05 s and was stopped; nothing was saved',
    });
    expect((await api('GET', '/v1/scoring')).body.version).toBe(1);
  });

  it('runs one backtest of a site at a time and refuses the second with 429 and Retry-After', async () => {
    const [first, second] = await Promise.all([
      api('POST', '/v1/scoring/preview', COSTLIEST_RULES),
      api('POST', '/v1/scoring/preview', DEMO_RULES),
    ]);
    expect(first.status).toBe(503);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(second.body.error.code).toBe('rate_limited');
  });

  it('answers the next backtest once the stopped one is gone', async () => {
    // The same database behind a collector with the default budget: the scoring threads are the process's.
    const patient = apiClient({ ...t, app: createApp({ database: t.database, clock: t.clock }) });
    const answer = await patient('POST', '/v1/scoring/preview', DEMO_RULES);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ leads: 2, mqlBefore: 1, mqlAfter: 1, entering: [], leaving: [] });
  });
});
