import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, BUYING_VISIT, DAY, identify, sendBuyingVisit } from './api-test-kit.ts';

describe.each(DATABASE_KINDS)('POST /v1/leads/{id}/stage on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
  });
  afterAll(() => t.close());

  const outbox = (email: string) =>
    queryRows<{ type: string; data: Record<string, unknown> }>(
      t.db,
      sql`select payload->>'type' as type, payload->'data' as data from webhook_deliveries
          where site_id = ${t.site.id} and payload->'data'->'lead'->>'email' = ${email} order by created_at, id`,
    );
  const stageOf = async (email: string) => (await api('GET', `/v1/leads/${email}`)).body.stage;

  it('walks mql → sal → sql with reasons, recorded and queued for the webhooks in one go', async () => {
    await api('POST', '/v1/webhooks', { url: 'https://crm.example/hooks' });
    await sendBuyingVisit(t, 'ann@acme.test');
    const sal = await api('POST', '/v1/leads/ann@acme.test/stage', { stage: 'sal', reason: 'call booked' });
    expect(sal.status).toBe(200);
    expect(sal.body).toMatchObject({
      from: 'mql',
      to: 'sal',
      changed: true,
      lead: {
        email: 'ann@acme.test',
        stage: 'sal',
        mql: true,
        score: 115,
        stageChangedAt: t.clock.now().toISOString(),
      },
    });
    const sqlAnswer = await api('POST', `/v1/leads/${sal.body.lead.id}/stage`, { stage: 'sql' });
    expect(sqlAnswer.body).toMatchObject({ from: 'sal', to: 'sql', changed: true });
    const transitions = (await api('GET', '/v1/leads/ann@acme.test/transitions')).body.data;
    expect(transitions.slice(-2)).toEqual([
      {
        from: 'mql',
        to: 'sal',
        mql: true,
        score: 115,
        cause: 'sales',
        reason: 'call booked',
        at: t.clock.now().toISOString(),
      },
      {
        from: 'sal',
        to: 'sql',
        mql: true,
        score: 115,
        cause: 'sales',
        reason: null,
        at: t.clock.now().toISOString(),
      },
    ]);
    const hooks = (await outbox('ann@acme.test')).filter((h) => h.data.cause === 'sales');
    expect(hooks).toEqual([
      {
        type: 'lead.stage_changed',
        data: {
          lead: { id: sal.body.lead.id, email: 'ann@acme.test', score: 115, mql: true, stage: 'sal' },
          from: 'mql',
          to: 'sal',
          cause: 'sales',
          reason: 'call booked',
        },
      },
      expect.objectContaining({ type: 'lead.stage_changed', data: expect.objectContaining({ to: 'sql' }) }),
    ]);
  });

  it('accepts the same outcome twice without recording it again', async () => {
    const before = (await api('GET', '/v1/leads/ann@acme.test/transitions')).body.data.length;
    const again = await api('POST', '/v1/leads/ann@acme.test/stage', { stage: 'sql' });
    expect(again.body).toMatchObject({ from: 'sql', to: 'sql', changed: false });
    expect((await api('GET', '/v1/leads/ann@acme.test/transitions')).body.data).toHaveLength(before);
  });

  it.each([
    ['sql', 'sal', 'a lead in stage "sql" cannot become "sal"'],
    ['visitor', 'sal', 'a lead in stage "visitor" cannot become "sal"'],
    ['visitor', 'recycled', 'a lead in stage "visitor" cannot become "recycled"'],
    ['lead', 'recycled', 'a lead in stage "lead" cannot become "recycled"'],
  ])('refuses %s → %s with 409 and changes nothing', async (from, to, message) => {
    const email = `refused-${from}-${to}@acme.test`;
    const device = `refused-${from}-${to}`;
    if (from === 'visitor') await t.send({ anonymousId: device, events: [page('/')] });
    if (from === 'lead') await t.send({ anonymousId: device, events: [page('/'), identify(email)] });
    if (from === 'sql') {
      await t.send({ anonymousId: device, events: [page('/'), identify(email)] });
      await api('POST', `/v1/leads/${email}/stage`, { stage: 'sql' });
    }
    const id =
      from === 'visitor'
        ? (
            await queryRows<{ id: string }>(
              t.db,
              sql`select lead_id as id from devices where site_id = ${t.site.id} and anonymous_id = ${device}`,
            )
          )[0]?.id
        : email;
    const refused = await api('POST', `/v1/leads/${id}/stage`, { stage: to });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('conflict');
    expect(refused.body.error.message).toContain(message);
    expect((await api('GET', `/v1/leads/${id}`)).body.stage).toBe(from);
  });

  it('takes every allowed outcome: lead → sal, lead → sql, sal → disqualified → recycled', async () => {
    await t.send({ anonymousId: 'bob-dev-0001', events: [page('/'), identify('bob@acme.test')] });
    expect((await api('POST', '/v1/leads/bob@acme.test/stage', { stage: 'sal' })).body.to).toBe('sal');
    expect(
      (await api('POST', '/v1/leads/bob@acme.test/stage', { stage: 'disqualified', reason: 'student' })).body,
    ).toMatchObject({ from: 'sal', to: 'disqualified' });
    expect((await api('POST', '/v1/leads/bob@acme.test/stage', { stage: 'recycled' })).body).toMatchObject({
      from: 'disqualified',
      to: 'recycled',
    });
    await t.send({ anonymousId: 'cat-dev-0001', events: [page('/'), identify('cat@acme.test')] });
    expect((await api('POST', '/v1/leads/cat@acme.test/stage', { stage: 'sql' })).body).toMatchObject({
      from: 'lead',
      to: 'sql',
    });
  });

  it('recycling clears the MQL flag; the lead qualifies again on new buying signals', async () => {
    await sendBuyingVisit(t, 'dan@acme.test', 'dan-dev-0001');
    const recycled = await api('POST', '/v1/leads/dan@acme.test/stage', {
      stage: 'recycled',
      reason: 'no budget',
    });
    expect(recycled.body).toMatchObject({
      from: 'mql',
      to: 'recycled',
      lead: { mql: false, stage: 'recycled' },
    });
    expect((await api('GET', '/v1/leads/dan@acme.test/transitions')).body.data.at(-1)).toMatchObject({
      from: 'mql',
      to: 'recycled',
      mql: false,
      cause: 'sales',
      reason: 'no budget',
    });
    expect((await outbox('dan@acme.test')).map((h) => h.type)).toContain('lead.unqualified');
    expect(await stageOf('dan@acme.test')).toBe('recycled');
    t.clock.advance(DAY);
    await t.send({ anonymousId: 'dan-dev-0001', events: BUYING_VISIT });
    const again = await api('GET', '/v1/leads/dan@acme.test');
    expect(again.body).toMatchObject({ mql: true, stage: 'mql', mqlAt: t.clock.now().toISOString() });
    expect((await api('GET', '/v1/leads/dan@acme.test/transitions')).body.data.at(-1)).toMatchObject({
      from: 'recycled',
      to: 'mql',
      cause: 'score',
    });
  });

  it('records the periodic sweep taking a decayed MQL out, like a read would', async () => {
    await sendBuyingVisit(t, 'eve@acme.test', 'eve-dev-0001');
    t.clock.advance(30 * DAY);
    expect(await t.app.sweep()).toBeGreaterThanOrEqual(1);
    const [row] = await queryRows<{ mql: boolean; stage: string }>(
      t.db,
      sql`select mql, stage from leads where site_id = ${t.site.id} and email = 'eve@acme.test'`,
    );
    expect(row).toEqual({ mql: false, stage: 'recycled' });
    expect((await api('GET', '/v1/leads/eve@acme.test/transitions')).body.data.at(-1)).toMatchObject({
      from: 'mql',
      to: 'recycled',
      cause: 'decay',
    });
    expect((await outbox('eve@acme.test')).map((h) => h.type)).toContain('lead.unqualified');
  });

  it('validates the body: unknown stage, long reason, extra fields', async () => {
    const bad = await api('POST', '/v1/leads/ann@acme.test/stage', { stage: 'won', reason: 'x'.repeat(501) });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['reason', 'stage']);
    const unknown = await api('POST', '/v1/leads/ghost@acme.test/stage', { stage: 'sal' });
    expect(unknown.status).toBe(404);
  });
});
