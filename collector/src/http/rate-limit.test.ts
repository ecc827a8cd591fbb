import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { createTokenBuckets } from './rate-limit.ts';

describe('token buckets', () => {
  it('lets a burst of the capacity through, then refuses with the wait until a token is back', () => {
    let t = 0;
    const buckets = createTokenBuckets(60, { now: () => t });
    for (let i = 0; i < 60; i++) expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a')).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(buckets.take('b').ok).toBe(true);
    t += 1_000;
    expect(buckets.take('a').ok).toBe(true);
    expect(buckets.take('a').ok).toBe(false);
  });

  it('charges a batch by its cost and tells how long the cost takes to refill', () => {
    let t = 0;
    const buckets = createTokenBuckets(600, { now: () => t });
    expect(buckets.take('site', 550).ok).toBe(true);
    expect(buckets.take('site', 100)).toEqual({ ok: false, retryAfterSeconds: 5 });
    t += 5_000;
    expect(buckets.take('site', 100).ok).toBe(true);
  });

  it('lets a cost above the capacity through a full bucket only', () => {
    const buckets = createTokenBuckets(10, { now: () => 0 });
    expect(buckets.take('k', 100).ok).toBe(true);
    expect(buckets.take('k', 1).ok).toBe(false);
  });

  it('forgets refilled buckets instead of growing without bound', () => {
    let t = 0;
    const buckets = createTokenBuckets(60, { now: () => t, maxKeys: 100 });
    for (let i = 0; i < 100; i++) buckets.take(`ip-${i}`);
    t += 60_000;
    buckets.take('new');
    expect(buckets.size()).toBe(1);
  });
});

describe('rate limits of /v1/collect', () => {
  let t: TestCollector;
  const ipOf = (c: Context) => c.req.header('x-forwarded-for') ?? null;
  beforeAll(async () => {
    t = await createTestCollector('pglite', {
      deps: { rateLimits: { perSite: 16, perIp: 5 }, clientIp: ipOf },
    });
  });
  afterAll(() => t.close());

  it('answers 429 with Retry-After and CORS once an address sends too many requests', async () => {
    const from = { 'x-forwarded-for': '198.51.100.7', origin: 'https://acme.test' };
    for (let i = 0; i < 5; i++) expect((await t.send({ events: [page(`/ip-${i}`)] }, from)).status).toBe(200);
    const refused = await t.send({ events: [page('/ip-over')] }, from);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://acme.test');
    // Another address is not affected.
    expect((await t.send({ events: [page('/other')] }, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(
      200,
    );
  });

  it('refuses a flood of junk from one address before reading it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const response = await t.app.request('/v1/collect', {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': '198.51.100.9' },
        body: '{"junk":',
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
  });

  it('counts events per site and lets the clock refill the bucket', async () => {
    // 16 events a minute for the site: 5 + 1 were sent above; 10 more fit, the next does not.
    const batch = Array.from({ length: 10 }, (_, i) => page(`/site-${i}`));
    expect((await t.send({ events: batch }, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(200);
    const refused = await t.send({ events: [page('/site-over')] }, { 'x-forwarded-for': '203.0.113.2' });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('4');
    t.clock.advance(4_000);
    expect(
      (await t.send({ events: [page('/site-later')] }, { 'x-forwarded-for': '203.0.113.3' })).status,
    ).toBe(200);
  });
});

describe('rate limit settings', () => {
  it('reads the limits from the environment and refuses nonsense', () => {
    const parsed = parseConfig({ LEADBEAM_RATE_LIMIT_SITE: '100', LEADBEAM_RATE_LIMIT_IP: '7' });
    expect(
      parsed.ok && [parsed.config.LEADBEAM_RATE_LIMIT_SITE, parsed.config.LEADBEAM_RATE_LIMIT_IP],
    ).toEqual([100, 7]);
    const bad = parseConfig({ LEADBEAM_RATE_LIMIT_IP: '-1' });
    expect(bad.ok ? '' : bad.message).toContain('LEADBEAM_RATE_LIMIT_IP');
    const timeouts = parseConfig({
      LEADBEAM_HEADERS_TIMEOUT_MS: '5000',
      LEADBEAM_REQUEST_TIMEOUT_MS: '1000',
    });
    expect(timeouts.ok ? '' : timeouts.message).toContain('LEADBEAM_HEADERS_TIMEOUT_MS');
  });
});
