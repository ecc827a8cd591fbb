import { describe, expect, it } from 'vitest';
import { hashSecretKey } from './keys.ts';
import { createSecretKeyCache, SECRET_KEY_CACHE_MS } from './secret-key-cache.ts';

/** A `sites` table of key hash → site id, counting lookups, and a clock moved by hand. */
function setUp(ttlMs = SECRET_KEY_CACHE_MS) {
  const table = new Map<string, string>([[hashSecretKey('sk_old'), 'site_a']]);
  const clock = { ms: 1_000_000 };
  const asked: string[] = [];
  const keys = createSecretKeyCache(
    async (keyHash) => {
      asked.push(keyHash);
      return table.get(keyHash) ?? null;
    },
    ttlMs,
    () => clock.ms,
  );
  const rotate = (from: string, to: string) => {
    const siteId = table.get(hashSecretKey(from)) as string;
    table.delete(hashSecretKey(from));
    table.set(hashSecretKey(to), siteId);
  };
  return { keys, clock, asked, rotate };
}

describe('the secret key cache', () => {
  it('keeps an answer a second at most: a rotated key must stop working soon', () => {
    expect(SECRET_KEY_CACHE_MS).toBeLessThanOrEqual(1_000);
  });

  it('asks the table once per key within the time to live, by hash only', async () => {
    const { keys, clock, asked } = setUp();
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    clock.ms += SECRET_KEY_CACHE_MS - 1;
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    expect(asked).toEqual([hashSecretKey('sk_old')]);
  });

  it('asks again once the entry expired', async () => {
    const { keys, clock, asked } = setUp();
    await keys.siteIdOf('sk_old');
    clock.ms += SECRET_KEY_CACHE_MS;
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    expect(asked).toHaveLength(2);
  });

  it('stops taking a rotated key once its entry expires, and takes the new key at once', async () => {
    const { keys, clock, rotate } = setUp();
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    rotate('sk_old', 'sk_new');
    expect(await keys.siteIdOf('sk_new')).toBe('site_a');
    // The bound the cache documents: the old key may work for up to a second more…
    clock.ms += SECRET_KEY_CACHE_MS - 1;
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    // …and not after.
    clock.ms += 1;
    expect(await keys.siteIdOf('sk_old')).toBeNull();
    expect(await keys.siteIdOf('sk_new')).toBe('site_a');
  });

  it('keeps an unknown key unknown for the time to live, then asks again', async () => {
    const { keys, clock, asked } = setUp();
    expect(await keys.siteIdOf('sk_unknown')).toBeNull();
    expect(await keys.siteIdOf('sk_unknown')).toBeNull();
    expect(asked).toHaveLength(1);
    clock.ms += SECRET_KEY_CACHE_MS;
    expect(await keys.siteIdOf('sk_unknown')).toBeNull();
    expect(asked).toHaveLength(2);
  });

  it('keeps nothing with a time to live of 0', async () => {
    const { keys, asked, rotate } = setUp(0);
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
    rotate('sk_old', 'sk_new');
    expect(await keys.siteIdOf('sk_old')).toBeNull();
    expect(asked).toHaveLength(2);
  });

  it('starts over past 10,000 keys, so made-up keys cannot grow it without bound', async () => {
    const { keys, asked } = setUp();
    await keys.siteIdOf('sk_old');
    for (let i = 0; i < 10_000; i++) await keys.siteIdOf(`sk_made_up_${i}`);
    await keys.siteIdOf('sk_old');
    expect(asked.filter((keyHash) => keyHash === hashSecretKey('sk_old'))).toHaveLength(2);
  });

  it('keeps no failed lookup: the next request asks again', async () => {
    const clock = { ms: 0 };
    let failing = true;
    const keys = createSecretKeyCache(
      async () => {
        if (failing) throw new Error('database unavailable');
        return 'site_a';
      },
      SECRET_KEY_CACHE_MS,
      () => clock.ms,
    );
    await expect(keys.siteIdOf('sk_old')).rejects.toThrow('database unavailable');
    failing = false;
    expect(await keys.siteIdOf('sk_old')).toBe('site_a');
  });
});
