import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createErrorHandler } from '../http/error-handler.ts';
import { silentLogger } from '../logger.ts';
import type { SiteCache } from '../sites/site-cache.ts';
import { collectRoute } from './collect-route.ts';
import { QueueFullError } from './group-commit.ts';
import type { IngestService } from './ingest-service.ts';

const site = {
  id: 'site_test',
  name: 'Test',
  publicKey: 'pk_test0000000000000000',
  allowedOrigins: [],
  settings: { urlRules: [] },
  rulesVersion: 1,
  createdAt: new Date(),
  urlRules: [],
};
const sites = {
  byPublicKey: async (key: string) => (key === site.publicKey ? site : null),
  clear: () => {},
} as SiteCache;

/** The collect route over a write path that behaves as told: how the route answers each failure. */
function appWith(submit: IngestService['submit'], writeDeadlineMs = 50, isFull = () => false) {
  const ingest = { submit, size: () => 0, isFull, drain: async () => {} } as IngestService;
  const app = new Hono();
  app.onError(createErrorHandler(silentLogger));
  app.route(
    '/v1',
    collectRoute({
      sites,
      ingest,
      now: () => new Date(),
      logger: silentLogger,
      clientIp: () => null,
      writeDeadlineMs,
    }),
  );
  const now = new Date().toISOString();
  const body = JSON.stringify({
    site: site.publicKey,
    anonymousId: 'device-0000001',
    sessionId: 'session-0000001',
    sentAt: now,
    events: [{ id: randomUUID(), type: 'page_view', ts: now, url: 'https://acme.test/' }],
  });
  return () =>
    app.request('/v1/collect', { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
}

describe('the collect route when the write path fails', () => {
  it('answers 503 with Retry-After when the write does not finish in time (a stalled database)', async () => {
    const response = await appWith(() => new Promise(() => {}))();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.json()).toEqual({
      error: { code: 'storage_unavailable', message: expect.any(String) },
    });
  });

  it('answers 503 with Retry-After 1 when the write queue is full', async () => {
    const response = await appWith(() => Promise.reject(new QueueFullError()))();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
  });

  it('refuses a saturated collector before reading the body', async () => {
    let submitted = false;
    const post = appWith(
      async () => {
        submitted = true;
        return { accepted: 1, duplicates: 0 };
      },
      50,
      () => true,
    );
    const response = await post();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(submitted).toBe(false);
  });

  it('answers 503 when the database is unreachable, and 500 for an unknown failure', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect((await appWith(() => Promise.reject(refused))()).status).toBe(503);
    const unknown = await appWith(() => Promise.reject(new Error('boom')))();
    expect(unknown.status).toBe(500);
    expect(await unknown.json()).toEqual({
      error: { code: 'internal', message: expect.stringContaining('internal error') },
    });
  });

  it('acknowledges what the write path stored', async () => {
    const response = await appWith(async () => ({ accepted: 1, duplicates: 0 }))();
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
  });
});
