import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { type ApiAnswer, apiClient, DAY, identify, sendBuyingVisit } from './api-test-kit.ts';

type Listed = {
  id: string;
  email: string | null;
  score: number;
  mql: boolean;
  stage: string;
  updatedAt: string;
};

describe.each(DATABASE_KINDS)('GET /v1/leads on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  const start = new Date('2026-11-23T10:00:00.000Z');
  beforeAll(async () => {
    t = await createTestCollector(kind, { start: start.toISOString() });
    api = apiClient(t);
    // Three MQLs, five identified leads with 15 points each, two anonymous visitors; an hour apart.
    for (const name of ['mia', 'noa', 'oli']) {
      await sendBuyingVisit(t, `${name}@acme.test`);
      t.clock.advance(3600_000);
    }
    for (let i = 0; i < 5; i++) {
      await t.send({
        anonymousId: `plain-dev-${i}`,
        events: [page('/pricing'), identify(`plain${i}@acme.test`)],
      });
      t.clock.advance(3600_000);
    }
    for (let i = 0; i < 2; i++) {
      await t.send({ anonymousId: `anon-dev-${i}`, events: [page('/')] });
      t.clock.advance(3600_000);
    }
  });
  afterAll(() => t.close());

  const list = async (query: string): Promise<ApiAnswer & { data: Listed[] }> => {
    const answer = await api('GET', `/v1/leads${query}`);
    return { ...answer, data: answer.body.data };
  };
  const walk = async (query: string) => {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const answer = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(answer.status).toBe(200);
      seen.push(...answer.data);
      cursor = answer.body.nextCursor;
      pages++;
    } while (cursor);
    return { seen, pages };
  };

  it('pages through every live lead in update order with an opaque cursor, each once', async () => {
    const { seen, pages } = await walk('?limit=3');
    expect(seen).toHaveLength(10);
    expect(pages).toBe(4);
    expect(new Set(seen.map((lead) => lead.id)).size).toBe(10);
    const times = seen.map((lead) => lead.updatedAt);
    expect([...times].sort()).toEqual(times);
    expect(seen.slice(0, 3).map((lead) => lead.email)).toEqual([
      'mia@acme.test',
      'noa@acme.test',
      'oli@acme.test',
    ]);
  });

  it('filters by the stored MQL flag and by stage', async () => {
    expect((await list('?mql=true')).data.map((lead) => lead.email)).toEqual([
      'mia@acme.test',
      'noa@acme.test',
      'oli@acme.test',
    ]);
    expect((await list('?mql=false')).data).toHaveLength(7);
    expect((await list('?stage=visitor')).data.every((lead) => lead.email === null)).toBe(true);
    expect((await list('?stage=lead')).data).toHaveLength(5);
  });

  it('filters on the exact score now, scanning on until the page is full', async () => {
    const high = await list('?minScore=100&limit=2');
    expect(high.data.map((lead) => lead.email)).toEqual(['mia@acme.test', 'noa@acme.test']);
    expect(high.data.every((lead) => lead.score >= 100 && lead.score < 115)).toBe(true);
    const rest = await list(`?minScore=100&limit=2&cursor=${high.body.nextCursor}`);
    expect(rest.data.map((lead) => lead.email)).toEqual(['oli@acme.test']);
    expect(rest.body.nextCursor).toBeNull();
    // Two weeks on, no event in between: the exact score has decayed below 100 for all of them.
    t.clock.advance(14 * DAY);
    expect((await list('?minScore=100')).data).toEqual([]);
    const scores = (await list('?minScore=10')).data.map((lead) => lead.score);
    expect(scores).toHaveLength(8);
    expect(scores.every((score) => score < 115)).toBe(true);
  });

  it('filters by updatedSince', async () => {
    const since = new Date(start.getTime() + 8 * 3600_000).toISOString();
    expect((await list(`?updatedSince=${since}`)).data.map((lead) => lead.email)).toEqual([null, null]);
  });

  it('refuses bad filters with the path of each problem', async () => {
    const answer = await list('?limit=500&mql=yes&stage=won&minScore=-1&updatedSince=monday');
    expect(answer.status).toBe(400);
    expect(answer.body.error.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'limit',
      'minScore',
      'mql',
      'stage',
      'updatedSince',
    ]);
    const cursor = await list('?cursor=not-a-cursor');
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe('invalid_request');
  });
});
