import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

describe.each(DATABASE_KINDS)('GET /openapi.json on %s', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector(kind);
  });
  afterAll(() => t.close());

  it('describes every route, from the same schemas that validate requests, without a key', async () => {
    const response = await t.app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    const routes = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.sort()).toEqual(
      [
        'POST /v1/collect',
        'GET /v1/leads',
        'GET /v1/leads/{lead}',
        'DELETE /v1/leads/{lead}',
        'GET /v1/leads/{lead}/events',
        'GET /v1/leads/{lead}/sessions',
        'GET /v1/leads/{lead}/transitions',
        'POST /v1/leads/{lead}/stage',
        'GET /v1/scoring',
        'PUT /v1/scoring',
        'POST /v1/scoring/preview',
        'POST /v1/webhooks',
        'GET /v1/webhooks',
        'DELETE /v1/webhooks/{id}',
        'GET /v1/webhooks/{id}/deliveries',
        'GET /v1/stats',
      ].sort(),
    );
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const operation of Object.values(methods)) {
        if (path === '/v1/collect') expect(operation.security).toBeUndefined();
        else expect(operation.security).toEqual([{ bearerAuth: [] }]);
      }
    }
    expect(document.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining([
        'Lead',
        'LeadDetail',
        'ScoringRules',
        'Webhook',
        'Error',
        'Batch',
        'SiteStats',
      ]),
    );
  });
});
