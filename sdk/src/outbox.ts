import type { WireEventInput } from '@leadbeam/protocol';
import { OUTBOX_MAX_CHARS, OUTBOX_MAX_EVENTS } from './limits.ts';
import { readJson, writeLocal } from './storage.ts';

/**
 * The persistent outbox (localStorage `lb_q`). Every event is written here before anything is
 * sent, and leaves only when the collector acknowledged it (or refused it for good). Keys are
 * short because the record is rewritten on every event; they are a storage format, keep them.
 */
export type OutboxEntry = {
  /** `"<anonymousId> <sessionId>"` the event happened under (a later reset must not move it) */
  k: string;
  /** the wire event, with the id and ts it keeps across retries */
  e: WireEventInput;
  /** leased until (ms): handed to fetch or sendBeacon; other sends and tabs leave it alone */
  f?: number;
};

export type Outbox = {
  q: OutboxEntry[];
  /** events dropped so far: outbox overflow, or refused by the collector with a final 4xx */
  d: number;
  /** no fetch before this time (ms): backoff or Retry-After, shared by every tab */
  n?: number;
};

export const OUTBOX_KEY = 'lb_q';

/** The stored outbox, or `fallback` (the in-memory copy) when storage is empty or unavailable. */
export function readOutbox(fallback: Outbox): Outbox {
  const stored = readJson<Outbox>(OUTBOX_KEY);
  return Array.isArray(stored?.q) ? stored : fallback;
}

export function writeOutbox(outbox: Outbox): void {
  writeLocal(OUTBOX_KEY, JSON.stringify(outbox));
}

/** The outbox with `entries` appended, trimmed to its bounds (oldest first) and the drops counted. */
export function appendToOutbox(outbox: Outbox, entries: OutboxEntry[]): Outbox {
  const { kept, dropped } = trimOutbox([...outbox.q, ...entries], OUTBOX_MAX_EVENTS, OUTBOX_MAX_CHARS);
  return { ...outbox, q: kept, d: outbox.d + dropped };
}

/** Keeps the newest entries that fit in `maxEntries` and `maxChars` of JSON. */
export function trimOutbox(
  entries: OutboxEntry[],
  maxEntries: number,
  maxChars: number,
): { kept: OutboxEntry[]; dropped: number } {
  let start = entries.length;
  let chars = 0;
  while (start > 0 && entries.length - start < maxEntries) {
    chars += JSON.stringify(entries[start - 1]).length + 1;
    if (chars > maxChars) break;
    start--;
  }
  return { kept: entries.slice(start), dropped: start };
}
