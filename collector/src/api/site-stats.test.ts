import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, identify, sendBuyingVisit } from './api-test-kit.ts';

describe.each(DATABASE_KINDS)('GET /v1/stats on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  const HOUR = 3600_000;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
  });
  afterAll(() => t.close());

  it('answers zeros and nulls for a site without leads', async () => {
    expect((await api('GET', '/v1/stats')).body).toEqual({
      leads: 0,
      identifiedLeads: 0,
      mqls: 0,
      sqls: 0,
      mqlToSqlRatio: null,
      medianSpeedToLeadSeconds: null,
    });
  });

  it('counts the funnel: leads, MQLs, SQLs, MQL→SQL ratio and median speed to lead', async () => {
    // Four MQLs: one qualified by sales after 1 h, one accepted after 3 h then qualified, one
    // disqualified after 5 h, one untouched; plus an identified lead and an anonymous visitor.
    for (const name of ['ada', 'bea', 'cyd', 'dee']) await sendBuyingVisit(t, `${name}@acme.test`);
    await t.send({ anonymousId: 'eli-dev-0001', events: [page('/'), identify('eli@acme.test')] });
    await t.send({ anonymousId: 'anon-dev-0001', events: [page('/')] });
    t.clock.advance(HOUR);
    await api('POST', '/v1/leads/ada@acme.test/stage', { stage: 'sql' });
    t.clock.advance(2 * HOUR);
    await api('POST', '/v1/leads/bea@acme.test/stage', { stage: 'sal' });
    t.clock.advance(2 * HOUR);
    await api('POST', '/v1/leads/cyd@acme.test/stage', { stage: 'disqualified' });
    await api('POST', '/v1/leads/bea@acme.test/stage', { stage: 'sql' });
    expect((await api('GET', '/v1/stats')).body).toEqual({
      leads: 6,
      identifiedLeads: 5,
      mqls: 4,
      sqls: 2,
      mqlToSqlRatio: 0.5,
      medianSpeedToLeadSeconds: 3 * 3600,
    });
  });

  it('narrows every figure to the leads first seen since ?since=', async () => {
    const since = t.clock.now().toISOString();
    await sendBuyingVisit(t, 'fay@acme.test');
    expect((await api('GET', `/v1/stats?since=${since}`)).body).toEqual({
      leads: 1,
      identifiedLeads: 1,
      mqls: 1,
      sqls: 0,
      mqlToSqlRatio: 0,
      medianSpeedToLeadSeconds: null,
    });
    expect((await api('GET', '/v1/stats?since=last-week')).status).toBe(400);
  });
});
