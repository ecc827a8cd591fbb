import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { webhookDeliveries, webhooks } from '../db/schema.ts';
import { createMemoryLogger } from '../logger.ts';
import { createSite } from '../sites/site-store.ts';
import { createTestCollector, DEMO_RULES, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { createSecretBox } from '../webhooks/secret-box.ts';

const SECRET = 'test-secret-for-webhook-encryption-0123456789';
const WEBHOOK_SECRET = `whsec_${randomUUID().replaceAll('-', '')}`;
const EMAIL = 'jane.private@prospect.test';
const FAILING_EMAIL = 'kim.private@fail.test';
const IP = '203.0.113.45';

/** Every row of every table as text: what someone with a database dump would see. */
async function dumpDatabase(t: TestCollector): Promise<string> {
  const tables = await queryRows<{ name: string }>(
    t.db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public'`,
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = await queryRows<{ row: string }>(
      t.db,
      sql`select row_to_json(x)::text as row from ${sql.identifier(name)} x`,
    );
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join('\n');
}

describe.each(DATABASE_KINDS)('secrets and personal data on %s', (kind) => {
  let t: TestCollector;
  const logger = createMemoryLogger();
  const webhookCalls: string[] = [];
  beforeAll(async () => {
    t = await createTestCollector(kind, {
      origins: ['https://acme.test'],
      deps: {
        logger,
        secret: SECRET,
        clientIp: (c: Context) => c.req.header('x-forwarded-for') ?? null,
        fetch: (async (url: string | URL | Request) => {
          webhookCalls.push(String(url));
          return webhookCalls.length % 2
            ? new Response('nope', { status: 500 })
            : Promise.reject(new TypeError('fetch failed'));
        }) as typeof fetch,
      },
    });
    await t.db.insert(webhooks).values({
      siteId: t.site.id,
      id: 'wh_test',
      url: 'https://hooks.acme.test/leadbeam',
      secretCiphertext: t.app.box.seal(WEBHOOK_SECRET),
      eventTypes: ['lead.mql', 'lead.stage_changed'],
    });
    await t.db.insert(webhookDeliveries).values({
      siteId: t.site.id,
      id: 'whd_test',
      webhookId: 'wh_test',
      eventType: 'lead.mql',
      payload: { lead: { email: EMAIL } },
      nextAttemptAt: new Date(0),
    });
    // An unexpected database failure on the write path, to see what the error log would say.
    await t.db.execute(
      sql.raw(
        `alter table leads add constraint no_fail_test check (email is null or email not like '%@fail.test')`,
      ),
    );
  });
  afterAll(() => t.close());

  const from = { 'x-forwarded-for': IP, origin: 'https://acme.test' };

  it('stores the secret key only as a hash and the webhook secret only encrypted', async () => {
    const dump = await dumpDatabase(t);
    expect(dump).toContain(t.site.publicKey);
    expect(dump).not.toContain(t.site.secretKey);
    expect(dump).not.toContain(t.site.secretKey.slice(3));
    expect(dump).not.toContain(WEBHOOK_SECRET);
    const [row] = await queryRows<{ ciphertext: string }>(
      t.db,
      sql`select secret_ciphertext as ciphertext from webhooks where id = 'wh_test'`,
    );
    expect(t.app.box.open(row?.ciphertext ?? '')).toBe(WEBHOOK_SECRET);
    expect(() =>
      createSecretBox('another-secret-of-at-least-32-characters').open(row?.ciphertext ?? ''),
    ).toThrow();
  });

  it('keeps emails, IPs and keys out of every log line, errors included', async () => {
    const identify = { type: 'identify' as const, email: EMAIL, traits: { name: 'Jane Private' } };
    const hot = [
      page('/pricing'),
      { type: 'form_submit' as const, url: 'https://acme.test/demo', form: 'demo-request' },
      { type: 'thank_you' as const, url: 'https://acme.test/thanks', conversion: 'demo' },
      { type: 'action' as const, url: 'https://acme.test/thanks', name: 'book-call' },
    ];
    expect((await t.send({ events: [identify, ...hot] }, from)).status).toBe(200);
    // Refusals that carry the secrets and the personal data in their input.
    expect((await t.send({ site: t.site.secretKey, events: [identify] }, from)).status).toBe(403);
    expect((await t.send({ site: `pk_${EMAIL}`, events: [identify] }, from)).status).toBe(401);
    expect((await t.send({ events: [identify] }, { ...from, origin: `https://${EMAIL}` })).status).toBe(403);
    const invalid = await t.app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': IP },
      body: `{"site":"${t.site.secretKey}","email":"${EMAIL}"`,
    });
    expect(invalid.status).toBe(400);
    // The lead API with the key in every place a careless client puts it.
    for (const path of [
      '/v1/leads',
      `/v1/leads/${encodeURIComponent(EMAIL)}`,
      `/v1/leads?key=${t.site.secretKey}`,
    ]) {
      for (const authorization of [
        `Bearer ${t.site.secretKey}`,
        `Bearer ${t.site.secretKey}x`,
        t.site.secretKey,
      ]) {
        const response = await t.app.request(path, { headers: { authorization, 'x-forwarded-for': IP } });
        expect(response.status).toBeLessThan(500);
      }
    }
    // An unexpected database error on the write path: answered 500, logged without its parameters.
    const failing = await t.send(
      { anonymousId: 'failing-device-01', events: [{ type: 'identify', email: FAILING_EMAIL }] },
      from,
    );
    expect(failing.status).toBe(500);
    expect(failing.body).toEqual({
      error: { code: 'internal', message: expect.stringMatching(/^internal error \(request /) },
    });
    // Webhook deliveries that fail, once answered 500 and once with a network error.
    await t.app.webhooks.runOnce();
    t.clock.advance(3_600_000);
    await t.app.webhooks.runOnce();
    expect(webhookCalls.length).toBeGreaterThanOrEqual(2);

    const logs = logger.lines.join('\n');
    expect(logger.lines.some((line) => line.includes('unhandled error'))).toBe(true);
    expect(logger.lines.some((line) => line.includes('webhook delivery failed'))).toBe(true);
    for (const secret of [
      t.site.secretKey,
      t.site.secretKey.slice(3),
      WEBHOOK_SECRET,
      SECRET,
      EMAIL,
      FAILING_EMAIL,
      'prospect.test',
      IP,
      '203.0.113.',
      'Jane Private',
    ]) {
      expect(logs, `the logs contain ${secret}`).not.toContain(secret);
    }
  });

  it('keeps the truncated address only, and the secret key works while its hash never does', async () => {
    const sessions = await queryRows<{ ip: string | null }>(
      t.db,
      sql`select ip_prefix as ip from sessions where site_id = ${t.site.id} and ip_prefix is not null`,
    );
    expect(sessions.map((s) => s.ip)).toContain('203.0.113.0/24');
    expect(await dumpDatabase(t)).not.toContain(IP);
    const [hash] = await queryRows<{ hash: string }>(
      t.db,
      sql`select secret_key_hash as hash from sites where id = ${t.site.id}`,
    );
    const other = await createSite(t.db, { name: 'Other', rules: DEMO_RULES });
    expect(hash?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(other.secretKey).not.toBe(t.site.secretKey);
  });
});

describe('headers of the collector', () => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector('pglite', { origins: ['https://acme.test'] });
  });
  afterAll(() => t.close());

  const SECURITY_HEADERS = {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'strict-transport-security': expect.stringContaining('max-age='),
    'referrer-policy': 'no-referrer',
  };

  it('sends security headers on every /v1 answer, refusals and unknown routes included', async () => {
    const answers = [
      await t.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '{',
      }),
      (await t.send({ events: [page('/')] })) as unknown as { headers: Headers },
      await t.app.request('/v1/leads'),
      await t.app.request('/v1/leads', { headers: { authorization: `Bearer ${t.site.secretKey}` } }),
      await t.app.request('/v1/nope'),
    ];
    for (const answer of answers) {
      const headers = Object.fromEntries(answer.headers.entries());
      expect(headers).toMatchObject(SECURITY_HEADERS);
      expect(headers['leadbeam-request-id']).toBeTruthy();
      expect(headers['x-powered-by']).toBeUndefined();
    }
  });

  it('allows cross-origin requests only on /v1/collect and /lb.js', async () => {
    const origin = { origin: 'https://acme.test' };
    const preflight = await t.app.request('/v1/collect', {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    for (const [method, path] of [
      ['GET', '/v1/leads'],
      ['OPTIONS', '/v1/leads'],
      ['GET', '/v1/leads/x'],
      ['DELETE', '/v1/leads/x'],
      ['GET', '/v1/scoring'],
      ['OPTIONS', '/v1/scoring'],
      ['POST', '/v1/webhooks'],
      ['OPTIONS', '/v1/webhooks'],
      ['GET', '/v1/stats'],
      ['GET', '/healthz'],
      ['GET', '/openapi.json'],
    ] as const) {
      const answer = await t.app.request(path, {
        method,
        headers: {
          ...origin,
          authorization: `Bearer ${t.site.secretKey}`,
          'access-control-request-method': 'GET',
        },
      });
      expect(answer.headers.get('access-control-allow-origin'), `${method} ${path}`).toBeNull();
      expect(answer.headers.get('access-control-allow-credentials'), `${method} ${path}`).toBeNull();
    }
  });
});
