import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestCollector,
  page,
  type TestCollector,
} from '../../../collector/src/testing/test-collector.ts';
import { DATABASE_KINDS } from '../../../collector/src/testing/test-databases.ts';
import { createLeadbeamClient, type LeadbeamClient } from './create-client.ts';
import type { Lead } from './types.ts';
import { verifyWebhook } from './verify-webhook.ts';

const BASE = 'http://collector.test';

describe.each(DATABASE_KINDS)('the client against a collector on %s', { timeout: 30_000 }, (kind) => {
  let t: TestCollector;
  let client: LeadbeamClient;
  const sent: { url: string; headers: Headers; body: string }[] = [];

  /** One batch of events from a device of its own. */
  const visitor = async (device: string, events: Parameters<TestCollector['send']>[0]['events']) => {
    const answer = await t.send({ anonymousId: device, sessionId: `session-${device}`, events });
    expect(answer.body).toMatchObject({ accepted: events.length, rejected: [] });
  };

  beforeAll(async () => {
    t = await createTestCollector(kind, {
      // The webhook outbox dates deliveries with the database's clock: keep the fake one near real time.
      start: new Date().toISOString(),
      deps: {
        fetch: async (url, init) => {
          sent.push({ url: String(url), headers: new Headers(init?.headers), body: String(init?.body) });
          return new Response('ok');
        },
      },
    });
    client = createLeadbeamClient({
      baseUrl: BASE,
      secretKey: t.site.secretKey,
      fetch: (url, init) => t.app.request(url, init),
    });
    for (let i = 0; i < 5; i++) await visitor(`device-anon-${i}`, [page('/')]);
    await visitor('device-jane-01', [
      { type: 'identify', email: 'jane@acme.test', traits: { name: 'Jane Doe' } },
      page('/pricing'),
      { type: 'form_submit', form: 'demo-request', url: 'https://acme.test/demo' },
      { type: 'thank_you', conversion: 'demo-request', url: 'https://acme.test/thank-you' },
      { type: 'action', name: 'book-call', url: 'https://acme.test/thank-you' },
    ]);
    await visitor('device-bob-001', [{ type: 'identify', email: 'bob@globex.test' }, page('/pricing')]);
  }, 60_000);
  afterAll(() => t?.close());

  it('walks every page of leads with iterateLeads, each lead once', async () => {
    const first = await client.listLeads({ limit: 3 });
    expect(first.ok && first.value.data).toHaveLength(3);
    expect(first.ok && first.value.nextCursor).toEqual(expect.any(String));

    const ids: string[] = [];
    for await (const item of client.iterateLeads({ limit: 2 })) {
      expect(item.ok).toBe(true);
      if (item.ok) ids.push(item.value.id);
    }
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
  });

  it('filters MQLs and reads a lead by email with its score explained', async () => {
    const mqls: Lead[] = [];
    for await (const item of client.iterateLeads({ mql: true })) if (item.ok) mqls.push(item.value);
    expect(mqls.map((lead) => lead.email)).toEqual(['jane@acme.test']);

    const jane = await client.getLead('jane@acme.test');
    if (!jane.ok) throw new Error(jane.error.message);
    expect(jane.value).toMatchObject({ email: 'jane@acme.test', mql: true, stage: 'mql', score: 105 });
    expect(jane.value.devices.count).toBe(1);
    expect(jane.value.breakdown.find((rule) => rule.ruleId === 'demo')).toMatchObject({
      events: 1,
      rawPoints: 40,
    });

    const minScore = await client.listLeads({ minScore: 10 });
    expect(minScore.ok && minScore.value.data.map((lead) => lead.email).sort()).toEqual([
      'bob@globex.test',
      'jane@acme.test',
    ]);
  });

  it('reads events a page at a time, sessions and transitions', async () => {
    const events = await client.leadEvents('jane@acme.test', { limit: 3 });
    if (!events.ok) throw new Error(events.error.message);
    expect(events.value.data).toHaveLength(3);
    const rest = await client.leadEvents('jane@acme.test', {
      limit: 3,
      cursor: events.value.nextCursor ?? '',
    });
    expect(rest.ok && rest.value.data.length).toBe(2);
    expect(rest.ok && rest.value.nextCursor).toBeNull();

    const sessions = await client.leadSessions('jane@acme.test');
    expect(sessions.ok && sessions.value.map((s) => s.id)).toEqual(['session-device-jane-01']);
    const transitions = await client.leadTransitions('jane@acme.test');
    expect(transitions.ok && transitions.value.map((move) => move.to)).toContain('mql');
  });

  it('answers API failures as values: 401, 404, 409, 400 and network errors', async () => {
    const stranger = createLeadbeamClient({
      baseUrl: BASE,
      secretKey: 'sk_not_a_real_key',
      fetch: (url, init) => t.app.request(url, init),
    });
    expect(await stranger.listLeads()).toEqual({
      ok: false,
      error: { status: 401, code: 'unauthorized', message: expect.any(String) },
    });
    const items = [];
    for await (const item of stranger.iterateLeads()) items.push(item);
    expect(items).toMatchObject([{ ok: false, error: { status: 401 } }]);
    expect(await client.getLead('nobody@acme.test')).toMatchObject({
      ok: false,
      error: { status: 404, code: 'not_found' },
    });
    const anonymous = await client.listLeads({ stage: 'visitor', limit: 1 });
    const visitorId = (anonymous.ok && anonymous.value.data[0]?.id) || 'missing';
    expect(await client.setStage(visitorId, 'sal')).toMatchObject({
      ok: false,
      error: { status: 409, code: 'conflict' },
    });
    const invalid = await client.setScoring({
      rules: [{ id: 'x', on: 'page_view', points: 1, halfLife: 'soon' }],
    });
    expect(invalid).toMatchObject({ ok: false, error: { status: 400, code: 'invalid_request' } });
    expect(!invalid.ok && invalid.error.issues?.length).toBeGreaterThan(0);

    const offline = createLeadbeamClient({
      baseUrl: BASE,
      secretKey: t.site.secretKey,
      fetch: () => Promise.reject(new TypeError('fetch failed')),
    });
    expect(await offline.stats()).toEqual({
      ok: false,
      error: { status: 0, code: 'network_error', message: expect.stringContaining('fetch failed') },
    });
  });

  it('reports a sales outcome and counts it in the stats', async () => {
    const change = await client.setStage('jane@acme.test', 'sal', 'booked a call');
    expect(change).toMatchObject({ ok: true, value: { from: 'mql', to: 'sal', changed: true } });
    const again = await client.setStage('jane@acme.test', 'sal');
    expect(again).toMatchObject({ ok: true, value: { changed: false } });
    const stats = await client.stats();
    expect(stats).toMatchObject({ ok: true, value: { leads: 7, identifiedLeads: 2, mqls: 1 } });
  });

  it('reads, previews and replaces the scoring rules', async () => {
    const current = await client.getScoring();
    if (!current.ok) throw new Error(current.error.message);
    expect(current.value.version).toBe(1);
    const lower = {
      ...current.value.rules,
      mql: { ...current.value.rules.mql, threshold: 10, exitThreshold: 5 },
    };
    const preview = await client.previewScoring(lower);
    expect(preview).toMatchObject({ ok: true, value: { leads: 7, mqlBefore: 1, mqlAfter: 2 } });
    expect(preview.ok && preview.value.entering.map((lead) => lead.email)).toEqual(['bob@globex.test']);
    expect((await client.getScoring()).ok && current.value.version).toBe(1);

    const saved = await client.setScoring(lower);
    expect(saved).toMatchObject({ ok: true, value: { version: 2 } });
    expect(await client.getLead('bob@globex.test')).toMatchObject({ ok: true, value: { mql: true } });
  });

  it('manages webhooks whose deliveries verifyWebhook accepts', async () => {
    const created = await client.createWebhook({
      url: 'https://crm.test/hooks',
      events: ['lead.stage_changed'],
    });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.secret).toMatch(/^whsec_/);
    const listed = await client.listWebhooks();
    expect(listed.ok && listed.value.map((hook) => hook.id)).toEqual([created.value.id]);
    expect(listed.ok && 'secret' in (listed.value[0] ?? {})).toBe(false);

    expect(await client.setStage('jane@acme.test', 'sql')).toMatchObject({ ok: true, value: { to: 'sql' } });
    t.clock.advance(60_000);
    await t.app.webhooks.runOnce();
    const delivery = sent.find((request) => request.url === 'https://crm.test/hooks');
    if (!delivery) throw new Error('no delivery was sent');
    const verified = verifyWebhook(created.value.secret, delivery.headers, delivery.body, {
      now: t.clock.now(),
    });
    expect(verified).toMatchObject({
      ok: true,
      event: { type: 'lead.stage_changed', data: { from: 'sal', to: 'sql' } },
      deliveryId: delivery.headers.get('leadbeam-delivery'),
    });
    expect(verifyWebhook('whsec_other', delivery.headers, delivery.body, { now: t.clock.now() })).toEqual({
      ok: false,
      reason: 'signature_mismatch',
    });
    const log = await client.webhookDeliveries(created.value.id);
    expect(log.ok && log.value.data.map((d) => d.status)).toEqual(['delivered']);

    expect(await client.deleteWebhook(created.value.id)).toEqual({ ok: true, value: undefined });
    expect(await client.deleteWebhook(created.value.id)).toMatchObject({ ok: false, error: { status: 404 } });
  });

  it('erases a person', async () => {
    const erased = await client.eraseLead('bob@globex.test');
    expect(erased).toMatchObject({ ok: true, value: { leads: 1, devices: 1, events: 2 } });
    expect(await client.getLead('bob@globex.test')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });
});
