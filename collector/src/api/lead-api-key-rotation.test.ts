import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET_KEY_CACHE_MS } from '../sites/secret-key-cache.ts';
import { rotateSiteKeys } from '../sites/site-store.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient } from './api-test-kit.ts';

describe.each(DATABASE_KINDS)('a rotated secret key on %s', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector(kind);
  });
  afterAll(() => t.close());

  it('stops working within the key cache time, while the new key works at once', async () => {
    const old = apiClient(t);
    expect((await old('GET', '/v1/leads')).status).toBe(200);
    const rotated = await rotateSiteKeys(t.db, t.site.id);
    const fresh = apiClient(t, rotated?.secretKey);
    expect((await fresh('GET', '/v1/leads')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, SECRET_KEY_CACHE_MS + 50));
    const refused = await old('GET', '/v1/leads');
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
    expect((await fresh('GET', '/v1/stats')).status).toBe(200);
  });
});
