import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createTestCollector, DEMO_RULES, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, sendBuyingVisit } from './api-test-kit.ts';

/** The demo form worth `points` instead of 40, and a higher bar: threshold 150, exit below 120. */
const withDemoWorth = (points: number) => ({
  ...DEMO_RULES,
  mql: { ...DEMO_RULES.mql, threshold: 150, exitThreshold: 120 },
  rules: DEMO_RULES.rules.map((rule) => (rule.id === 'demo' ? { ...rule, points } : rule)),
});

describe.each(DATABASE_KINDS)('/v1/scoring on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
    await sendBuyingVisit(t, 'ivy@acme.test');
    await sendBuyingVisit(t, 'jon@acme.test');
  });
  afterAll(() => t.close());

  it('answers the current version and its rules with defaults filled in', async () => {
    const answer = await api('GET', '/v1/scoring');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ version: 1, rules: { halfLife: '30d', mql: { threshold: 100 } } });
    expect(answer.body.rules.rules).toHaveLength(DEMO_RULES.rules.length);
    expect(Date.parse(answer.body.createdAt)).not.toBeNaN();
  });

  it('previews proposed rules without saving them', async () => {
    const preview = await api('POST', '/v1/scoring/preview', withDemoWorth(10));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ leads: 2, mqlBefore: 2, mqlAfter: 0, entering: [] });
    expect(preview.body.leaving.map((lead: { email: string }) => lead.email).sort()).toEqual([
      'ivy@acme.test',
      'jon@acme.test',
    ]);
    expect(preview.body.leaving[0]).toMatchObject({ scoreBefore: 115, scoreAfter: 85 });
    expect((await api('GET', '/v1/scoring')).body.version).toBe(1);
    expect((await api('GET', '/v1/leads/ivy@acme.test')).body).toMatchObject({ score: 115, mql: true });
  });

  it('saves new rules as the next version and re-scores every lead from its events', async () => {
    const saved = await api('PUT', '/v1/scoring', withDemoWorth(10));
    expect(saved.status).toBe(200);
    const [scorable] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from events where site_id = ${t.site.id} `,
    );
    expect(saved.body).toEqual({ version: 2, rescored: { leads: 2, events: scorable?.n } });
    const ivy = await api('GET', '/v1/leads/ivy@acme.test');
    expect(ivy.body).toMatchObject({ score: 85, mql: false, stage: 'recycled', rulesVersion: 2 });
    expect(ivy.body.breakdown.find((rule: { ruleId: string }) => rule.ruleId === 'demo')).toMatchObject({
      rawPoints: 10,
    });
    const last = (await api('GET', '/v1/leads/ivy@acme.test/transitions')).body.data.at(-1);
    expect(last).toMatchObject({ from: 'mql', to: 'recycled', cause: 'rescore' });
    expect((await api('GET', '/v1/scoring')).body).toMatchObject({
      version: 2,
      rules: { rules: expect.arrayContaining([expect.objectContaining({ id: 'demo', points: 10 })]) },
    });
  });

  it('refuses invalid rules with 400 and the path of every problem, saving nothing', async () => {
    const invalid = {
      ...DEMO_RULES,
      halfLife: 'soon',
      mql: { threshold: 100, exitThreshold: 150 },
      rules: [DEMO_RULES.rules[0], { ...DEMO_RULES.rules[0], points: 0 }],
    };
    for (const method of ['PUT', 'POST'] as const) {
      const answer = await api(method, method === 'PUT' ? '/v1/scoring' : '/v1/scoring/preview', invalid);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
      expect(answer.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(
        expect.arrayContaining(['halfLife', 'mql.exitThreshold', 'rules.1.points']),
      );
    }
    const notJson = await t.app.request('/v1/scoring', {
      method: 'PUT',
      headers: { authorization: `Bearer ${t.site.secretKey}`, 'content-type': 'application/json' },
      body: '{"rules": [',
    });
    expect(notJson.status).toBe(400);
    expect((await api('GET', '/v1/scoring')).body.version).toBe(2);
  });
});
