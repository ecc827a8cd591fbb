import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import {
  apiClient,
  DAY,
  identify,
  sendBuyingVisit,
  VISIT_POINTS,
  VISIT_POINTS_AFTER_30D,
} from './api-test-kit.ts';

describe.each(DATABASE_KINDS)('GET /v1/leads/{id or email} on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  let visitAt: Date;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
    visitAt = t.clock.now();
    await sendBuyingVisit(t, 'jane@acme.test', 'jane-laptop-01');
  });
  afterAll(() => t.close());

  it('answers a realistic visit as an MQL with its score explained rule by rule', async () => {
    const answer = await api('GET', '/v1/leads/Jane@Acme.test');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      email: 'jane@acme.test',
      traits: { company: 'Acme' },
      score: VISIT_POINTS,
      mql: true,
      mqlAt: visitAt.toISOString(),
      stage: 'mql',
      firstSeen: visitAt.toISOString(),
      lastSeen: visitAt.toISOString(),
      at: visitAt.toISOString(),
      rulesVersion: 1,
      devices: { count: 1, list: [{ anonymousId: 'jane-laptop-01', firstSeen: visitAt.toISOString() }] },
      sessions: { count: 1 },
    });
    expect(answer.body.breakdown).toEqual([
      { ruleId: 'pricing', events: 1, rawPoints: 15, decayedPoints: 15, cappedEvents: 0, capped: false },
      { ruleId: 'whitepaper', events: 1, rawPoints: 25, decayedPoints: 25, cappedEvents: 0, capped: false },
      { ruleId: 'demo-step', events: 3, rawPoints: 15, decayedPoints: 15, cappedEvents: 0, capped: false },
      { ruleId: 'demo', events: 1, rawPoints: 40, decayedPoints: 40, cappedEvents: 0, capped: false },
      { ruleId: 'thank-you', events: 1, rawPoints: 20, decayedPoints: 20, cappedEvents: 0, capped: false },
    ]);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const byId = await api('GET', `/v1/leads/${answer.body.id}`);
    expect(byId.body).toEqual(answer.body);
  });

  it('reads the score one half-life later with ?at= (points halve) without changing anything', async () => {
    const later = new Date(visitAt.getTime() + 30 * DAY).toISOString();
    const answer = await api('GET', `/v1/leads/jane@acme.test?at=${later}`);
    expect(answer.status).toBe(200);
    expect(answer.body.at).toBe(later);
    expect(answer.body.score).toBeCloseTo(VISIT_POINTS_AFTER_30D, 2);
    const pricing = answer.body.breakdown.find((rule: { ruleId: string }) => rule.ruleId === 'pricing');
    const whitepaper = answer.body.breakdown.find((rule: { ruleId: string }) => rule.ruleId === 'whitepaper');
    expect(pricing.decayedPoints).toBe(7.5);
    expect(whitepaper.decayedPoints).toBeCloseTo(25 * 2 ** -0.5, 2);
    // Below the exit threshold by then: projected out of MQL, but nothing is written for the future.
    expect(answer.body).toMatchObject({ mql: false, stage: 'recycled' });
    expect((await api('GET', '/v1/leads/jane@acme.test')).body).toMatchObject({ mql: true, stage: 'mql' });
  });

  it('reads the past with ?at=: the events up to that instant, the stage of that time', async () => {
    await t.send({ anonymousId: 'pat-dev-0001', events: [page('/pricing'), identify('pat@acme.test')] });
    t.clock.advance(3600_000);
    await t.send({ anonymousId: 'pat-dev-0001', events: [page('/careers')] });
    const between = new Date(t.clock.now().getTime() - 1800_000).toISOString();
    const before = new Date(t.clock.now().getTime() - 7200_000).toISOString();
    const now = await api('GET', '/v1/leads/pat@acme.test');
    const then = await api('GET', `/v1/leads/pat@acme.test?at=${between}`);
    const earlier = await api('GET', `/v1/leads/pat@acme.test?at=${before}`);
    expect(now.body.score).toBe(0); // 15 − 30, floored at zero
    expect(then.body.score).toBeCloseTo(15 * 2 ** (-1800_000 / (30 * DAY)), 2);
    expect(then.body.breakdown.map((rule: { ruleId: string }) => rule.ruleId)).toEqual(['pricing']);
    expect(then.body.stage).toBe('lead');
    expect(earlier.body).toMatchObject({ score: 0, stage: 'visitor', mql: false, breakdown: [] });
  });

  it('keeps an MQL between the thresholds (hysteresis), then records the decay out at read time', async () => {
    t.clock.set(new Date(visitAt.getTime() + 10 * DAY));
    const hovering = await api('GET', '/v1/leads/jane@acme.test');
    expect(hovering.body.score).toBeLessThan(100);
    expect(hovering.body.score).toBeGreaterThan(70);
    expect(hovering.body).toMatchObject({ mql: true, stage: 'mql' });

    t.clock.set(new Date(visitAt.getTime() + 30 * DAY));
    const decayed = await api('GET', '/v1/leads/jane@acme.test');
    expect(decayed.body).toMatchObject({ mql: false, stage: 'recycled' });
    expect(decayed.body.score).toBeCloseTo(VISIT_POINTS_AFTER_30D, 2);
    const transitions = await api('GET', '/v1/leads/jane@acme.test/transitions');
    expect(transitions.body.data.at(-1)).toEqual({
      from: 'mql',
      to: 'recycled',
      mql: false,
      score: Math.round(VISIT_POINTS_AFTER_30D * 100) / 100,
      cause: 'decay',
      reason: 'below_exit_threshold',
      at: t.clock.now().toISOString(),
    });
    // Read again: already settled, nothing recorded twice.
    await api('GET', '/v1/leads/jane@acme.test');
    expect((await api('GET', '/v1/leads/jane@acme.test/transitions')).body.data).toHaveLength(
      transitions.body.data.length,
    );
  });

  it('lists the stage history, the sessions with their source, and the events newest first', async () => {
    const transitions = await api('GET', '/v1/leads/jane@acme.test/transitions');
    expect(transitions.body.data.map((x: { from: string; to: string }) => `${x.from}>${x.to}`)).toEqual([
      'visitor>mql',
      'mql>recycled',
    ]);
    const sessions = await api('GET', '/v1/leads/jane@acme.test/sessions');
    expect(sessions.body.data).toEqual([
      expect.objectContaining({
        id: 'ses-jane-laptop-01',
        anonymousId: 'jane-laptop-01',
        eventCount: 9,
        landingUrl: 'https://acme.test/',
        referrerHost: 'www.google.com',
        utm: { source: 'linkedin', medium: null, campaign: 'q4', term: null, content: null },
        browser: 'Chrome',
      }),
    ]);
    expect(sessions.body.data[0]).not.toHaveProperty('ipPrefix');
    const first = await api('GET', '/v1/leads/jane@acme.test/events?limit=4');
    expect(first.body.data).toHaveLength(4);
    expect(first.body.data[0]).toMatchObject({
      sessionId: 'ses-jane-laptop-01',
      anonymousId: 'jane-laptop-01',
    });
    const rest = await api('GET', `/v1/leads/jane@acme.test/events?limit=50&cursor=${first.body.nextCursor}`);
    expect(rest.body.nextCursor).toBeNull();
    const all = [...first.body.data, ...rest.body.data];
    expect(all).toHaveLength(9);
    expect(new Set(all.map((e) => e.id)).size).toBe(9);
    expect(all.find((e) => e.type === 'download')).toMatchObject({
      href: 'https://acme.test/files/guide.pdf',
      tags: ['whitepaper'],
    });
    expect(all.find((e) => e.type === 'form_step' && e.step === 2)).toMatchObject({ form: 'demo-request' });
  });

  it('resolves an anonymous id merged into an identified lead to the survivor', async () => {
    await t.send({ anonymousId: 'jane-phone-01', sessionId: 'jane-phone-s1', events: [page('/pricing')] });
    const anonymous = (await api('GET', '/v1/leads?limit=200')).body.data.find(
      (lead: { email: string | null; id: string }) => lead.email === null,
    );
    await t.send({
      anonymousId: 'jane-phone-01',
      sessionId: 'jane-phone-s1',
      events: [identify('jane@acme.test')],
    });
    const jane = await api('GET', '/v1/leads/jane@acme.test');
    const old = await api('GET', `/v1/leads/${anonymous.id}`);
    expect(old.status).toBe(200);
    expect(old.body.id).toBe(jane.body.id);
    expect(old.body.devices.count).toBe(2);
    expect(old.body.sessions.count).toBe(2);
  });

  it('answers 404 for an unknown id or email and 400 with the path for a bad ?at=', async () => {
    expect((await api('GET', '/v1/leads/nobody@acme.test')).body.error.code).toBe('not_found');
    expect((await api('GET', '/v1/leads/2f0b4c1e-0000-4000-8000-000000000000')).status).toBe(404);
    const bad = await api('GET', '/v1/leads/jane@acme.test?at=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'at' }] });
  });
});
