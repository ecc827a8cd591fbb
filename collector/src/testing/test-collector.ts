import { randomUUID } from 'node:crypto';
import type { WireBatch, WireEventInput } from '@leadbeam/protocol';
import { type AppDeps, createApp } from '../app.ts';
import { createFakeClock } from '../clock.ts';
import { createSite } from '../sites/site-store.ts';
import { createTestDatabase, type DatabaseKind } from './test-databases.ts';

export const CHROME_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const DEMO_RULES = {
  halfLife: '30d',
  mql: { threshold: 100, exitThreshold: 70, requireEmail: true, excludeEmailDomains: ['gmail.com'] },
  rules: [
    {
      id: 'pricing',
      on: 'page_view',
      match: { path: '/pricing*' },
      points: 15,
      limit: { count: 3, per: '1d' },
    },
    { id: 'whitepaper', on: 'download', match: { tag: 'whitepaper' }, points: 25, halfLife: '60d' },
    { id: 'demo-step', on: 'form_step', match: { form: 'demo-request' }, points: 5 },
    { id: 'demo', on: 'form_submit', match: { form: 'demo-request' }, points: 40 },
    { id: 'thank-you', on: 'thank_you', points: 20 },
    { id: 'book-call', on: 'action', match: { name: 'book-call' }, points: 30 },
    { id: 'careers', on: 'page_view', match: { path: '/careers*' }, points: -30 },
  ],
};

/** A collector on a fresh database with one site, a fake clock and helpers to send batches. */
export async function createTestCollector(
  kind: DatabaseKind,
  options: { origins?: string[]; rules?: unknown; start?: string; deps?: Partial<AppDeps> } = {},
) {
  const database = await createTestDatabase(kind);
  const clock = createFakeClock(options.start ?? '2026-11-23T10:00:00.000Z');
  const site = await createSite(database.db, {
    name: 'Acme',
    origins: options.origins ?? [],
    rules: options.rules ?? DEMO_RULES,
  });
  const app = createApp({ database, clock, siteCacheMs: 0, ...options.deps });

  /** Posts a batch as the SDK would (text/plain); events get ids and times when they lack them. */
  const send = async (
    batch: Partial<Omit<WireBatch, 'events'>> & { events: Partial<WireEventInput>[] },
    headers: Record<string, string> = {},
  ) => {
    const now = clock.now().toISOString();
    const body: WireBatch = {
      site: site.publicKey,
      anonymousId: 'device-a-0001',
      sessionId: 'session-a-0001',
      sentAt: now,
      ...batch,
      events: batch.events.map((e) => ({ id: randomUUID(), ts: now, ...e }) as WireEventInput),
    };
    const response = await app.request('/v1/collect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': CHROME_UA, ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
      sent: body,
    };
  };

  return {
    database,
    db: database.db,
    app,
    clock,
    site,
    send,
    close: async () => {
      await app.ingest.drain();
      await database.drop();
    },
  };
}

export type TestCollector = Awaited<ReturnType<typeof createTestCollector>>;

export const page = (path: string, extra: Partial<WireEventInput> = {}) =>
  ({ type: 'page_view', url: `https://acme.test${path}`, title: path, ...extra }) as Partial<WireEventInput>;
