import { MAX_BATCH_CHARS, MAX_EVENTS_PER_BATCH } from './limits.ts';
import type { OutboxEntry } from './outbox.ts';

/**
 * Splits the sendable entries (not leased at `now`) into batches: one identity (anonymous and
 * session id) per batch, at most `maxEvents` events and about `maxChars` characters of JSON each.
 * An event larger than `maxChars` travels alone. Order is kept within each identity.
 */
export function planBatches(
  entries: OutboxEntry[],
  now: number,
  maxEvents = MAX_EVENTS_PER_BATCH,
  maxChars = MAX_BATCH_CHARS,
): OutboxEntry[][] {
  const batches: OutboxEntry[][] = [];
  const open: Record<string, [batch: OutboxEntry[], chars: number]> = {};
  for (const entry of entries) {
    if ((entry.f ?? 0) > now) continue;
    const size = JSON.stringify(entry.e).length + 1;
    let current = open[entry.k];
    if (!current || current[0].length >= maxEvents || current[1] + size > maxChars) {
      current = open[entry.k] = [[], 0];
      batches.push(current[0]);
    }
    current[0].push(entry);
    current[1] += size;
  }
  return batches;
}
