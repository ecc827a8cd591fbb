import { randomUUID } from 'node:crypto';
import { EMAIL_PROBLEMS } from '@leadbeam/protocol';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, identify } from '../api/api-test-kit.ts';
import { queryRows } from '../db/database.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

/*
 * One person is one lead: an address that only reads like a known one (a zero-width space, a
 * Cyrillic а) is refused at the edge instead of starting a second lead, and spellings that fold to
 * the same address (fullwidth letters) land on the same lead. Nothing stored holds a control character.
 */
describe.each(DATABASE_KINDS)('lookalike identities and control characters on %s', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector(kind);
  });
  afterAll(() => t.close());

  const leadOf = async (anonymousId: string) =>
    (
      await queryRows<{ leadId: string }>(
        t.db,
        sql`select lead_id as "leadId" from devices where site_id = ${t.site.id} and anonymous_id = ${anonymousId}`,
      )
    )[0]?.leadId;
  const identifiedLeads = async () =>
    queryRows<{ id: string; email: string }>(
      t.db,
      sql`select id, email from leads where site_id = ${t.site.id} and email is not null and merged_into is null`,
    );

  it('never makes a second lead of jane\\u200b@acme.test beside jane@acme.test', async () => {
    const first = await t.send({ anonymousId: 'jane-laptop-01', events: [identify('jane@acme.test')] });
    expect(first.body).toEqual({ accepted: 1, duplicates: 0, rejected: [] });

    const lookalike = await t.send({
      anonymousId: 'forged-device-01',
      events: [page('/pricing'), identify('jane\u200b@acme.test'), page('/demo')],
    });
    expect(lookalike.status).toBe(200);
    expect(lookalike.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, code: 'invalid_event', message: `events.1.email: ${EMAIL_PROBLEMS.invisible}` }],
    });

    const leads = await identifiedLeads();
    expect(leads.map((lead) => lead.email)).toEqual(['jane@acme.test']);
    expect(await leadOf('forged-device-01')).not.toBe(leads[0]?.id);
  });

  it('puts a fullwidth spelling of the address on the same lead', async () => {
    const answer = await t.send({
      anonymousId: 'jane-phone-0001',
      events: [identify('ｊａｎｅ＠ａｃｍｅ.test')],
    });
    expect(answer.body).toMatchObject({ accepted: 1, rejected: [] });
    const leads = await identifiedLeads();
    expect(leads.map((lead) => lead.email)).toEqual(['jane@acme.test']);
    expect(await leadOf('jane-phone-0001')).toBe(leads[0]?.id);
  });

  it('rejects an identify with a Cyrillic а and keeps the rest of the batch', async () => {
    const answer = await t.send({
      anonymousId: 'cyrillic-dev-01',
      events: [page('/'), identify('j\u0430ne@acme.test'), page('/pricing')],
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [
        {
          index: 1,
          code: 'invalid_event',
          message: 'events.1.email: must not mix scripts in the part before @',
        },
      ],
    });
    const [events] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from events where site_id = ${t.site.id} and anonymous_id = 'cyrillic-dev-01'`,
    );
    expect(events?.n).toBe(2);
    expect((await identifiedLeads()).map((lead) => lead.email)).toEqual(['jane@acme.test']);
  });

  it('finds no lead by the lookalike address: the lead API answers 400 or 404', async () => {
    const api = apiClient(t);
    expect((await api('GET', '/v1/leads/jane@acme.test')).status).toBe(200);
    for (const lookalike of ['jane\u200b@acme.test', 'j\u0430ne@acme.test']) {
      const answer = await api('GET', `/v1/leads/${encodeURIComponent(lookalike)}`);
      expect([400, 404]).toContain(answer.status);
    }
  });

  it('stores URLs, paths, titles and referrers without control characters', async () => {
    const answer = await t.send({
      anonymousId: 'control-dev-0001',
      sessionId: 'control-ses-0001',
      context: { utm: { campaign: 'q4\r\nlaunch' } },
      events: [
        {
          type: 'page_view',
          url: 'https://acme.test/pri\r\ncing\u0007?plan=pro\t',
          title: 'Pricing\r\n| Acme\u202e',
          referrer: 'https://www.google.com/\nsearch',
          tags: ['high\n-intent'],
        },
      ],
    });
    expect(answer.body).toMatchObject({ accepted: 1, rejected: [] });
    const [event] = await queryRows<{ url: string; path: string; data: Record<string, unknown> }>(
      t.db,
      sql`select url, path, data from events where site_id = ${t.site.id} and anonymous_id = 'control-dev-0001'`,
    );
    expect(event).toEqual({
      url: 'https://acme.test/pricing?plan=pro',
      path: '/pricing',
      data: {
        title: 'Pricing | Acme',
        referrer: 'https://www.google.com/search',
        tags: ['high-intent'],
        utm: { campaign: 'q4 launch' },
      },
    });
    const [session] = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select landing_url, referrer, utm_campaign from sessions where id = 'control-ses-0001'`,
    );
    expect(session).toEqual({
      landing_url: 'https://acme.test/pricing?plan=pro',
      referrer: 'https://www.google.com/search',
      utm_campaign: 'q4 launch',
    });
  });

  it('refuses an escaped NUL but stores the text "\\u0000" typed into a title', async () => {
    const body = (title: string) =>
      `{"site":"${t.site.publicKey}","anonymousId":"nul-device-0001","sessionId":"nul-session-01",` +
      `"sentAt":"${t.clock.now().toISOString()}","events":[{"id":"${randomUUID()}",` +
      `"ts":"${t.clock.now().toISOString()}","type":"page_view","url":"https://acme.test/","title":"${title}"}]}`;
    const post = (text: string) =>
      t.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 Chrome/131.0' },
        body: text,
      });
    expect((await post(body('a\\u0000b'))).status).toBe(400);
    expect((await post(body('a\\\\\\u0000b'))).status).toBe(400);
    const typed = await post(body('Why \\\\u0000 breaks JSON'));
    expect(typed.status).toBe(200);
    const [event] = await queryRows<{ title: string }>(
      t.db,
      sql`select data->>'title' as title from events where site_id = ${t.site.id} and anonymous_id = 'nul-device-0001'`,
    );
    expect(event?.title).toBe('Why \\u0000 breaks JSON');
  });
});
