import { MAX_BATCH_CHARS, MAX_EVENTS_PER_BATCH } from './limits.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * Splits the sendable entries (not leased at `now`) into batches: consecutive entries of one
 * identity (anonymous and session id), at most `maxEvents` events and about `maxChars`
 * characters of JSON each. An event larger than `maxChars` travels alone. Order is kept.
 */
export function planBatches(
  entries: OutboxEntry[],
  now: number,
  maxEvents = MAX_EVENTS_PER_BATCH,
  maxChars = MAX_BATCH_CHARS,
): OutboxEntry[][] {
  const batches: OutboxEntry[][] = [];
  let chars = 0;
  for (const entry of entries) {
    if ((entry.f ?? 0) > now) continue;
    const size = JSON.stringify(entry.e).length + 1;
    const last = batches[batches.length - 1];
    if (last && last[0]?.k === entry.k && last.length < maxEvents && chars + size <= maxChars) {
      last.push(entry);
      chars += size;
    } else {
      batches.push([entry]);
      chars = size;
    }
  }
  return batches;
}
