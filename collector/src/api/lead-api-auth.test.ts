import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger.ts';
import { createSite } from '../sites/site-store.ts';
import { createTestCollector, DEMO_RULES, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, sendBuyingVisit } from './api-test-kit.ts';

type Route = {
  method: string;
  path: (ids: { lead: string; webhook: string }) => string;
  body?: unknown;
  /** What another site's key gets: 404, or its own (empty) data. */
  foreign: 'not_found' | 'own';
};

/** Every authenticated route of the lead API. */
const ROUTES: Route[] = [
  { method: 'GET', path: () => '/v1/leads', foreign: 'own' },
  { method: 'GET', path: ({ lead }) => `/v1/leads/${lead}`, foreign: 'not_found' },
  { method: 'GET', path: () => '/v1/leads/jane@acme.test', foreign: 'not_found' },
  { method: 'GET', path: ({ lead }) => `/v1/leads/${lead}/events`, foreign: 'not_found' },
  { method: 'GET', path: ({ lead }) => `/v1/leads/${lead}/sessions`, foreign: 'not_found' },
  { method: 'GET', path: ({ lead }) => `/v1/leads/${lead}/transitions`, foreign: 'not_found' },
  {
    method: 'POST',
    path: ({ lead }) => `/v1/leads/${lead}/stage`,
    body: { stage: 'sal' },
    foreign: 'not_found',
  },
  { method: 'DELETE', path: ({ lead }) => `/v1/leads/${lead}`, foreign: 'not_found' },
  { method: 'GET', path: () => '/v1/scoring', foreign: 'own' },
  { method: 'PUT', path: () => '/v1/scoring', body: DEMO_RULES, foreign: 'own' },
  { method: 'POST', path: () => '/v1/scoring/preview', body: DEMO_RULES, foreign: 'own' },
  { method: 'POST', path: () => '/v1/webhooks', body: { url: 'https://evil.example/' }, foreign: 'own' },
  { method: 'GET', path: () => '/v1/webhooks', foreign: 'own' },
  { method: 'GET', path: ({ webhook }) => `/v1/webhooks/${webhook}/deliveries`, foreign: 'not_found' },
  { method: 'DELETE', path: ({ webhook }) => `/v1/webhooks/${webhook}`, foreign: 'not_found' },
  { method: 'GET', path: () => '/v1/stats', foreign: 'own' },
];

const name = (route: Route) => `${route.method} ${route.path({ lead: '{lead}', webhook: '{id}' })}`;

describe.each(DATABASE_KINDS)('lead API authentication and tenant isolation on %s', (kind) => {
  let t: TestCollector;
  let other: { secretKey: string; publicKey: string };
  const logger = createMemoryLogger();
  const ids = { lead: '', webhook: '' };
  beforeAll(async () => {
    t = await createTestCollector(kind, { deps: { logger } });
    other = await createSite(t.db, { name: 'Other', rules: DEMO_RULES });
    await sendBuyingVisit(t, 'jane@acme.test');
    const api = apiClient(t);
    ids.lead = (await api('GET', '/v1/leads/jane@acme.test')).body.id;
    ids.webhook = (await api('POST', '/v1/webhooks', { url: 'https://crm.example/hooks' })).body.id;
  });
  afterAll(() => t.close());

  const call = (route: Route, authorization?: string, headers: Record<string, string> = {}) =>
    t.app.request(route.path(ids), {
      method: route.method,
      headers: {
        ...(authorization === undefined ? {} : { authorization }),
        ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
    });

  it.each(ROUTES.map((route) => [name(route), route] as const))(
    '%s refuses every bad key',
    async (_, route) => {
      const refusals: [string | undefined, number, string][] = [
        [undefined, 401, 'unauthorized'],
        ['', 401, 'unauthorized'],
        [`Basic ${Buffer.from('a:b').toString('base64')}`, 401, 'unauthorized'],
        ['Bearer', 401, 'unauthorized'],
        [`Bearer ${t.site.secretKey} extra`, 401, 'unauthorized'],
        [t.site.secretKey, 401, 'unauthorized'],
        [`Bearer ${t.site.publicKey}`, 403, 'forbidden'],
        ['Bearer sk_unknownunknownunknownunknownunknown1234', 401, 'unauthorized'],
        ['Bearer not-a-key', 401, 'unauthorized'],
      ];
      for (const [authorization, status, code] of refusals) {
        const response = await call(route, authorization, { origin: 'https://evil.example' });
        expect(response.status, `${authorization}`).toBe(status);
        expect(await response.json()).toMatchObject({ error: { code } });
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
      }
    },
  );

  it.each(ROUTES.map((route) => [name(route), route] as const))(
    "%s never reaches another site's leads",
    async (_, route) => {
      const response = await call(route, `Bearer ${other.secretKey}`);
      const text = await response.text();
      if (route.foreign === 'not_found') expect(response.status).toBe(404);
      else expect(response.status).toBeLessThan(300);
      expect(text).not.toContain(ids.lead);
      expect(text).not.toContain('jane@acme.test');
      expect(text).not.toContain(ids.webhook);
    },
  );

  it("leaves the first site's lead, webhook and rules as they were", async () => {
    const api = apiClient(t);
    expect((await api('GET', '/v1/leads/jane@acme.test')).body).toMatchObject({ id: ids.lead, stage: 'mql' });
    expect((await api('GET', '/v1/webhooks')).body.data.map((w: { id: string }) => w.id)).toEqual([
      ids.webhook,
    ]);
    expect((await api('GET', '/v1/scoring')).body.version).toBe(1);
    expect((await api('GET', '/v1/stats')).body.leads).toBe(1);
  });

  it('answers OPTIONS without CORS and sets security headers and no-store', async () => {
    const preflight = await t.app.request('/v1/leads', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await apiClient(t)('GET', '/v1/leads');
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('cache-control')).toBe('no-store');
  });

  it('never logs keys or emails', () => {
    const logs = logger.lines.join('\n');
    for (const secret of [t.site.secretKey, t.site.publicKey, other.secretKey, 'jane@acme.test'])
      expect(logs).not.toContain(secret);
  });
});
