import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, identify, sendBuyingVisit } from './api-test-kit.ts';

describe.each(DATABASE_KINDS)('DELETE /v1/leads/{id or email} on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
    await api('POST', '/v1/webhooks', { url: 'https://crm.example/hooks' });
  });
  afterAll(() => t.close());

  /** Rows left anywhere that mention the ids or the email. */
  const traces = async (ids: string[], email: string) => {
    const count = async (query: ReturnType<typeof sql>) =>
      (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from (${query}) q`))[0]?.n;
    return {
      leads: await count(
        sql`select 1 from leads where id in ${ids} or email = ${email} or merged_into in ${ids}`,
      ),
      devices: await count(sql`select 1 from devices where lead_id in ${ids}`),
      sessions: await count(sql`select 1 from sessions where lead_id in ${ids}`),
      events: await count(
        sql`select 1 from events where lead_id in ${ids} or data::text like ${`%${email}%`}`,
      ),
      merges: await count(
        sql`select 1 from lead_merges where from_lead_id in ${ids} or to_lead_id in ${ids}`,
      ),
      transitions: await count(sql`select 1 from lead_transitions where lead_id in ${ids}`),
      deliveries: await count(
        sql`select 1 from webhook_deliveries where lead_id in ${ids} or payload::text like ${`%${email}%`}`,
      ),
    };
  };

  it('erases a person and every trace of them, table by table, leaving others alone', async () => {
    await sendBuyingVisit(t, 'lea@acme.test', 'lea-laptop');
    await t.send({ anonymousId: 'lea-phone', sessionId: 'lea-phone-s', events: [page('/pricing')] });
    const phoneLead = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select lead_id as id from devices where anonymous_id = 'lea-phone'`,
      )
    )[0]?.id as string;
    await t.send({ anonymousId: 'lea-phone', sessionId: 'lea-phone-s', events: [identify('lea@acme.test')] });
    await sendBuyingVisit(t, 'max@acme.test', 'max-laptop');
    const lea = (await api('GET', '/v1/leads/lea@acme.test')).body.id as string;
    const ids = [lea, phoneLead];
    expect(Object.values(await traces(ids, 'lea@acme.test')).every((n) => (n ?? 0) > 0)).toBe(true);

    const erased = await api('DELETE', '/v1/leads/LEA@acme.test');
    expect(erased.status).toBe(200);
    expect(erased.body).toEqual({ erased: { leads: 2, devices: 2, sessions: 2, events: 11 } });
    expect(await traces(ids, 'lea@acme.test')).toEqual({
      leads: 0,
      devices: 0,
      sessions: 0,
      events: 0,
      merges: 0,
      transitions: 0,
      deliveries: 0,
    });
    expect((await api('GET', '/v1/leads/lea@acme.test')).status).toBe(404);
    expect((await api('GET', `/v1/leads/${phoneLead}`)).status).toBe(404);
    expect((await api('GET', '/v1/leads/max@acme.test')).body).toMatchObject({ score: 115, mql: true });
    expect(
      (await traces([(await api('GET', '/v1/leads/max@acme.test')).body.id], 'max@acme.test')).events,
    ).toBe(9);
  });

  it('lets the device come back as a stranger: a new anonymous lead', async () => {
    await t.send({ anonymousId: 'lea-laptop', events: [page('/')] });
    const [row] = await queryRows<{ email: string | null }>(
      t.db,
      sql`select l.email from devices d join leads l on l.site_id = d.site_id and l.id = d.lead_id
          where d.anonymous_id = 'lea-laptop'`,
    );
    expect(row).toEqual({ email: null });
  });

  it('answers 404 for an unknown lead, twice in a row', async () => {
    expect((await api('DELETE', '/v1/leads/nobody@acme.test')).status).toBe(404);
    expect((await api('DELETE', '/v1/leads/lea@acme.test')).body.error.code).toBe('not_found');
  });
});
