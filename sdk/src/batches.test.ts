import type { WireEventInput } from '@leadbeam/protocol';
import { expect, test } from 'vitest';
import { planBatches } from './batches.ts';
import type { OutboxEntry } from './outbox.ts';

const entry = (i: number, k = 'a s', extra: Partial<OutboxEntry> = {}): OutboxEntry => ({
  k,
  e: { id: `id-${i}`, type: 'track', ts: '2026-11-23T10:00:00.000Z', name: `event_${i}` } as WireEventInput,
  ...extra,
});

test('splits at 100 events a batch, keeping order', () => {
  const batches = planBatches(
    Array.from({ length: 250 }, (_, i) => entry(i)),
    0,
  );
  expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
  expect(batches.flat().map((x) => x.e.id)).toEqual(Array.from({ length: 250 }, (_, i) => `id-${i}`));
});

test('splits by size so that a body stays well under 64 KiB', () => {
  const big = (i: number): OutboxEntry => {
    const e = entry(i);
    (e.e as { props?: object }).props = { text: 'x'.repeat(1000) };
    return e;
  };
  const batches = planBatches(
    Array.from({ length: 40 }, (_, i) => big(i)),
    0,
  );
  expect(batches.length).toBeGreaterThan(2);
  for (const batch of batches)
    expect(JSON.stringify(batch.map((x) => x.e)).length).toBeLessThanOrEqual(16_000);
});

test('an event larger than the limit travels alone', () => {
  const huge = entry(1);
  (huge.e as { props?: object }).props = { text: 'x'.repeat(20_000) };
  expect(planBatches([entry(0), huge, entry(2)], 0).map((batch) => batch.length)).toEqual([1, 1, 1]);
});

test('one identity per batch: events of another device or session go separately', () => {
  const batches = planBatches([entry(0, 'a s1'), entry(1, 'a s1'), entry(2, 'b s2'), entry(3, 'b s2')], 0);
  expect(batches.map((batch) => batch.map((x) => x.e.id))).toEqual([
    ['id-0', 'id-1'],
    ['id-2', 'id-3'],
  ]);
});

test('leased events (in flight or beaconed) are left out until the lease ends', () => {
  const entries = [entry(0, 'a s', { f: 5000 }), entry(1)];
  expect(
    planBatches(entries, 4999)
      .flat()
      .map((x) => x.e.id),
  ).toEqual(['id-1']);
  expect(
    planBatches(entries, 5000)
      .flat()
      .map((x) => x.e.id),
  ).toEqual(['id-0', 'id-1']);
});
