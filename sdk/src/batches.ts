import { MAX_BATCH_CHARS, MAX_EVENTS_PER_BATCH } from './limits.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * Splits the sendable entries (not leased at `now`) into batches: consecutive entries of one
 * identity (anonymous and session id), at most 100 events and about 16,000 characters of JSON
 * each. An event larger than that travels alone. Order is kept.
 */
export const planBatches = (entries: OutboxEntry[], now: number): OutboxEntry[][] => {
  const batches: OutboxEntry[][] = [];
  let chars = 0;
  for (const entry of entries) {
    if ((entry.f as number) > now) continue; // not leased: undefined > now is false
    const size = JSON.stringify(entry.e).length + 1;
    const last = batches[batches.length - 1];
    if (
      last &&
      last[0]?.k === entry.k &&
      last.length < MAX_EVENTS_PER_BATCH &&
      chars + size <= MAX_BATCH_CHARS
    ) {
      last.push(entry);
      chars += size;
    } else {
      batches.push([entry]);
      chars = size;
    }
  }
  return batches;
};
