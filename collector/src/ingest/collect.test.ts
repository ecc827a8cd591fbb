import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

describe.each(DATABASE_KINDS)('POST /v1/collect on %s', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector(kind, { origins: ['https://acme.test'] });
  });
  afterAll(() => t.close());

  const count = async (table: string) =>
    (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]
      ?.n;

  it('stores a batch and acknowledges exactly what it stored', async () => {
    const before = await count('events');
    const answer = await t.send({ events: [page('/'), page('/pricing')] }, { origin: 'https://acme.test' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    expect(await count('events')).toBe((before ?? 0) + 2);
  });

  it('acknowledges a replayed batch as duplicates and changes nothing', async () => {
    const events = [page('/a', { id: randomUUID() }), page('/b', { id: randomUUID() })];
    const first = await t.send({ events });
    const total = await count('events');
    const replay = await t.send({ events });
    expect(first.body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(replay.body).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await count('events')).toBe(total);
  });

  it('stores the valid events of a batch and lists the invalid ones', async () => {
    const answer = await t.send({
      events: [page('/ok'), { type: 'page_view', url: 'not a url' }, { type: 'nope' } as never],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(1);
    expect(answer.body.rejected).toEqual([
      { index: 1, code: 'invalid_event', message: expect.stringContaining('events.1.url') },
      { index: 2, code: 'invalid_event', message: expect.stringContaining('events.2.type') },
    ]);
  });

  it('corrects event time by sentAt and clamps it to the last 7 days', async () => {
    const id = randomUUID();
    const skewed = await t.send({
      sentAt: '2030-01-01T00:00:05.000Z',
      events: [page('/clock', { id, ts: '2030-01-01T00:00:00.000Z' })],
    });
    expect(skewed.body.accepted).toBe(1);
    const old = randomUUID();
    await t.send({
      sentAt: t.clock.now().toISOString(),
      events: [page('/old', { id: old, ts: '2020-01-01T00:00:00.000Z' })],
    });
    const rows = await queryRows<{ id: string; ms: number }>(
      t.db,
      sql`select id, (extract(epoch from ts) * 1000)::float8 as ms from events where id in (${id}, ${old})`,
    );
    const now = t.clock.now().getTime();
    expect(rows.find((r) => r.id === id)?.ms).toBe(now - 5_000);
    expect(rows.find((r) => r.id === old)?.ms).toBe(now - 7 * 24 * 3600 * 1000);
  });

  it('records the session with landing page, referrer, UTM and device', async () => {
    await t.send(
      {
        sessionId: 'session-utm-0001',
        context: {
          locale: 'en-GB',
          screen: '1440x900',
          timezone: 'Europe/London',
          utm: { source: 'linkedin', campaign: 'q4' },
        },
        events: [page('/landing', { referrer: 'https://www.google.com/search?q=x' })],
      },
      { 'x-forwarded-for': '203.0.113.77' },
    );
    const [session] = await queryRows<Record<string, unknown>>(
      t.db,
      sql`select * from sessions where id = 'session-utm-0001'`,
    );
    expect(session).toMatchObject({
      landing_url: 'https://acme.test/landing',
      referrer_host: 'www.google.com',
      utm_source: 'linkedin',
      utm_campaign: 'q4',
      browser: 'Chrome',
      os: 'Mac OS',
      device_type: 'desktop',
      locale: 'en-GB',
      event_count: 1,
    });
  });

  it('drops bot traffic before stitching', async () => {
    const before = await count('events');
    const answer = await t.send(
      { anonymousId: 'bot-device-0001', events: [page('/')] },
      { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.accepted).toBe(0);
    expect(await count('events')).toBe(before);
  });

  it.each([
    ['an unknown site key', { site: 'pk_doesnotexist000000' }, {}, 401, 'unknown_site'],
    ['a secret key from a browser', { site: 'sk_leaked000000000000' }, {}, 403, 'secret_key_in_browser'],
    ['a foreign origin', {}, { origin: 'https://evil.test' }, 403, 'origin_not_allowed'],
    ['a junk anonymous id', { anonymousId: 'undefined' }, {}, 400, 'invalid_envelope'],
  ])('refuses %s', async (_name, envelope, headers, status, code) => {
    const answer = await t.send({ ...envelope, events: [page('/')] }, headers);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { code, message: expect.any(String) } });
  });

  it.each([
    ['invalid JSON', 'text/plain', '{"site":', 400, 'invalid_json'],
    ['a wrong content type', 'application/x-www-form-urlencoded', 'a=b', 415, 'unsupported_media_type'],
    ['a body over 64 KiB', 'text/plain', 'x'.repeat(64 * 1024 + 1), 413, 'payload_too_large'],
    [
      'an empty batch',
      'application/json',
      JSON.stringify({
        site: 'pk_x',
        anonymousId: 'device-x-0001',
        sessionId: 'session-x-0001',
        sentAt: new Date().toISOString(),
        events: [],
      }),
      400,
      'invalid_envelope',
    ],
  ])('refuses %s', async (_name, type, body, status, code) => {
    const response = await t.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': type },
      body,
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ error: { code, message: expect.any(String) } });
  });
});
