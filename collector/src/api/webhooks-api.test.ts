import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { queryRows } from '../db/database.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, sendBuyingVisit } from './api-test-kit.ts';

type Sent = { url: string; headers: Record<string, string>; body: string };

/** A receiver that records what it gets and answers the status it is told to. */
function createReceiver() {
  const sent: Sent[] = [];
  let status = 200;
  const fetch = (async (url: string | URL | Request, init?: RequestInit) => {
    sent.push({
      url: String(url),
      headers: init?.headers as Record<string, string>,
      body: String(init?.body),
    });
    return new Response('ok', { status });
  }) as typeof globalThis.fetch;
  return { sent, fetch, answer: (next: number) => (status = next) };
}

function verifySignature(secret: string, header: string, body: string): boolean {
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) ?? [];
  return v1 === createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
}

describe.each(DATABASE_KINDS)('/v1/webhooks on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  const receiver = createReceiver();
  let hook: { id: string; url: string; secret: string };
  beforeAll(async () => {
    t = await createTestCollector(kind, { start: new Date().toISOString(), deps: { fetch: receiver.fetch } });
    api = apiClient(t);
  });
  afterAll(() => t.close());
  /**
   * Runs the dispatcher once, a second after the later of the fake clock and the real one: the
   * outbox stamps new deliveries with the database's clock (see the report), not the app's.
   */
  const dispatch = (app: { webhooks: { runOnce(): Promise<number> } }) => {
    t.clock.set(new Date(Math.max(t.clock.now().getTime(), Date.now()) + 1000));
    return app.webhooks.runOnce();
  };

  it('creates a webhook, shows its secret once and stores it encrypted', async () => {
    const created = await api('POST', '/v1/webhooks', { url: 'https://crm.example/leadbeam' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^wh_/),
      url: 'https://crm.example/leadbeam',
      events: ['lead.mql', 'lead.unqualified', 'lead.stage_changed', 'lead.merged'],
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9]{32}$/),
    });
    hook = created.body;
    const listed = await api('GET', '/v1/webhooks');
    expect(listed.body.data).toEqual([
      { id: hook.id, url: hook.url, events: created.body.events, createdAt: created.body.createdAt },
    ]);
    const [stored] = await queryRows<{ secret: string }>(
      t.db,
      sql`select secret_ciphertext as secret from webhooks where id = ${hook.id}`,
    );
    expect(stored?.secret).not.toContain(hook.secret);
    expect(t.app.box.open(stored?.secret ?? '')).toBe(hook.secret);
  });

  it('sends a signed lead.mql delivery from the outbox, and logs it', async () => {
    await sendBuyingVisit(t, 'kim@acme.test');
    expect(await dispatch(t.app)).toBe(2);
    const mql = receiver.sent.find((s) => s.headers['leadbeam-event'] === 'lead.mql');
    expect(mql?.url).toBe('https://crm.example/leadbeam');
    expect(verifySignature(hook.secret, mql?.headers['leadbeam-signature'] ?? '', mql?.body ?? '')).toBe(
      true,
    );
    expect(verifySignature('whsec_wrong', mql?.headers['leadbeam-signature'] ?? '', mql?.body ?? '')).toBe(
      false,
    );
    const payload = JSON.parse(mql?.body ?? '{}');
    expect(payload).toMatchObject({
      id: expect.any(String),
      type: 'lead.mql',
      data: {
        lead: { email: 'kim@acme.test', score: 115, mql: true, stage: 'mql' },
        reason: 'reached_threshold',
      },
    });
    const log = await api('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(log.body.data).toHaveLength(2);
    expect(log.body.data.find((d: { eventType: string }) => d.eventType === 'lead.mql')).toMatchObject({
      id: mql?.headers['leadbeam-delivery'],
      status: 'delivered',
      attempts: 1,
      lastStatus: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: t.clock.now().toISOString(),
      leadId: payload.data.lead.id,
    });
  });

  it('keeps a delivery committed before a crash: a fresh collector on the same database sends it', async () => {
    const before = receiver.sent.length;
    const change = await api('POST', '/v1/leads/kim@acme.test/stage', {
      stage: 'sal',
      reason: 'demo booked',
    });
    expect(change.status).toBe(200);
    const pending = await api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1`);
    expect(pending.body.data[0]).toMatchObject({
      eventType: 'lead.stage_changed',
      status: 'pending',
      attempts: 0,
    });
    // The first collector dies here without dispatching; another one starts on the same database.
    const restarted = createReceiver();
    const fresh = createApp({ database: t.database, clock: t.clock, fetch: restarted.fetch });
    expect(await dispatch(fresh)).toBe(1);
    expect(receiver.sent).toHaveLength(before);
    const [sent] = restarted.sent;
    expect(JSON.parse(sent?.body ?? '{}').data).toMatchObject({
      from: 'mql',
      to: 'sal',
      cause: 'sales',
      reason: 'demo booked',
    });
    expect(verifySignature(hook.secret, sent?.headers['leadbeam-signature'] ?? '', sent?.body ?? '')).toBe(
      true,
    );
  });

  it('retries a failed delivery with backoff until the receiver takes it', async () => {
    receiver.answer(500);
    await api('POST', '/v1/leads/kim@acme.test/stage', { stage: 'sql' });
    expect(await dispatch(t.app)).toBe(1);
    const failed = (await api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1`)).body.data[0];
    expect(failed).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'answered 500',
    });
    const wait = Date.parse(failed.nextAttemptAt) - t.clock.now().getTime();
    expect(wait).toBeGreaterThanOrEqual(7_500);
    expect(wait).toBeLessThanOrEqual(12_500);
    expect(await dispatch(t.app)).toBe(0);
    receiver.answer(200);
    t.clock.advance(wait - 1000);
    expect(await dispatch(t.app)).toBe(1);
    const delivered = (await api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=1`)).body.data[0];
    expect(delivered).toMatchObject({ id: failed.id, status: 'delivered', attempts: 2, lastStatus: 200 });
  });

  it('pages the delivery log newest first', async () => {
    const first = await api('GET', `/v1/webhooks/${hook.id}/deliveries?limit=2`);
    const second = await api(
      'GET',
      `/v1/webhooks/${hook.id}/deliveries?limit=2&cursor=${first.body.nextCursor}`,
    );
    const ids = [...first.body.data, ...second.body.data].map((d: { id: string }) => d.id);
    expect(new Set(ids).size).toBe(4);
    expect(second.body.nextCursor).toBeNull();
  });

  it('subscribes to chosen events only, and validates the body', async () => {
    const only = await api('POST', '/v1/webhooks', { url: 'http://localhost:9/mql', events: ['lead.mql'] });
    expect(only.body.events).toEqual(['lead.mql']);
    const bad = await api('POST', '/v1/webhooks', { url: 'ftp://crm.example', events: ['lead.won'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['events.0', 'url']);
    expect((await api('POST', '/v1/webhooks', { url: 'https://u:p@crm.example/' })).status).toBe(400);
    await api('DELETE', `/v1/webhooks/${only.body.id}`);
  });

  it('deletes a webhook with its log; unknown ids answer 404', async () => {
    const deleted = await api('DELETE', `/v1/webhooks/${hook.id}`);
    expect(deleted.status).toBe(204);
    expect((await api('GET', '/v1/webhooks')).body.data).toEqual([]);
    expect((await api('GET', `/v1/webhooks/${hook.id}/deliveries`)).status).toBe(404);
    expect((await api('DELETE', `/v1/webhooks/${hook.id}`)).status).toBe(404);
    const [left] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from webhook_deliveries where webhook_id = ${hook.id}`,
    );
    expect(left?.n).toBe(0);
  });
});
