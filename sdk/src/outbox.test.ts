import type { WireEventInput } from '@leadbeam/protocol';
import { expect, test, vi } from 'vitest';
import { appendToOutbox, type OutboxEntry } from './outbox.ts';
import { installCollector, load, storedOutbox, unload, useCleanPage } from './test-harness.ts';

useCleanPage();

const entry = (i: number, size = 10): OutboxEntry => ({
  k: 'a s',
  e: { id: `${i}`, type: 'track', ts: '', name: 'x'.repeat(size) } as WireEventInput,
});

test('appending drops the oldest entries beyond the count bound and counts them', () => {
  const outbox = appendToOutbox(
    { q: [], d: 2 },
    Array.from({ length: 10 }, (_, i) => entry(i)),
    4,
    1e9,
  );
  expect(outbox.q.map((x) => x.e.id)).toEqual(['6', '7', '8', '9']);
  expect(outbox.d).toBe(8);
});

test('appending drops the oldest entries beyond the byte bound', () => {
  const entries = Array.from({ length: 10 }, (_, i) => entry(i, 100));
  const three = JSON.stringify(entries.slice(7)).length;
  const outbox = appendToOutbox({ q: entries.slice(0, 5), d: 0 }, entries.slice(5), 100, three);
  expect(outbox.q.map((x) => x.e.id)).toEqual(['7', '8', '9']);
  expect(outbox.d).toBe(7);
});

test('the outbox survives a reload while the collector is down and is flushed on the next load', async () => {
  const collector = installCollector();
  vi.mocked(fetch).mockRejectedValue(new TypeError('offline'));
  const first = load();
  first.track('pricing_calculator_used');
  await vi.advanceTimersByTimeAsync(1000);
  unload(first);
  const before = storedOutbox().q.map((x) => x.e.id);
  expect(before).toHaveLength(2);

  vi.mocked(fetch).mockReset();
  const real = installCollector();
  load({ autoCapture: false });
  await vi.advanceTimersByTimeAsync(600_000);
  expect(real.fetched.flatMap((batch) => batch.events.map((event) => event.id))).toEqual(before);
  expect(storedOutbox().q).toEqual([]);
  expect(collector.fetched).toHaveLength(0);
});

test('the outbox is bounded: the oldest events go first and the dropped counter says how many', async () => {
  installCollector();
  vi.mocked(fetch).mockRejectedValue(new TypeError('offline'));
  const sdk = load({ autoCapture: false });
  for (let i = 0; i < 520; i++) sdk.track(`event_${i}`);
  const outbox = storedOutbox();
  expect(outbox.q).toHaveLength(500);
  expect(outbox.d).toBe(20);
  expect(outbox.q[0]?.e).toMatchObject({ name: 'event_20' });
  expect(outbox.q.at(-1)?.e).toMatchObject({ name: 'event_519' });
});

test('the byte bound holds for large events', () => {
  installCollector();
  const sdk = load({ autoCapture: false });
  for (let i = 0; i < 400; i++) sdk.track('big', { text: 'x'.repeat(1000) });
  const stored = localStorage.getItem('lb_q') ?? '';
  expect(stored.length).toBeLessThanOrEqual(251_000);
  expect(storedOutbox().d).toBeGreaterThan(100);
});

test('with storage unavailable, events are kept in memory and still sent', async () => {
  const collector = installCollector();
  vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
    throw new DOMException('quota', 'QuotaExceededError');
  });
  vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
    throw new DOMException('denied', 'SecurityError');
  });
  const sdk = load();
  sdk.track('still_counted');
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.fetched).toHaveLength(1);
  expect(collector.events().map((event) => event.type)).toEqual(['page_view', 'track']);
});
