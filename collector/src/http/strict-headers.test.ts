import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';

describe('headers on every answer', () => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector('pglite');
  });
  afterAll(() => t.close());

  it.each([
    ['GET', '/healthz', 200],
    ['GET', '/openapi.json', 200],
    ['GET', '/lb.js', null],
    ['GET', '/nowhere/jane@acme.test', 404],
    ['OPTIONS', '/v1/collect', 204],
    ['POST', '/v1/collect', 415],
    ['GET', '/v1/leads', 401],
  ] as const)('%s %s: nosniff, a CSP that renders nothing, no framing', async (method, path, status) => {
    const response = await t.app.request(path, { method });
    if (status !== null) expect(response.status).toBe(status);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
  });

  it('never echoes the Origin of a refused page into the message', async () => {
    const origin = 'https://evil.test/<script>alert(1)</script>';
    const restricted = await createTestCollector('pglite', { origins: ['https://acme.test'] });
    try {
      const answer = await restricted.send(
        { events: [{ type: 'page_view', url: 'https://acme.test/' }] },
        { origin },
      );
      expect(answer.status).toBe(403);
      expect(JSON.stringify(answer.body)).not.toContain('evil.test');
    } finally {
      await restricted.close();
    }
  });
});
