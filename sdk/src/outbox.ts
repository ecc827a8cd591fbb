import type { WireEventInput } from '@leadbeam/protocol';
import { OUTBOX_MAX_CHARS, OUTBOX_MAX_EVENTS } from './limits.ts';
import { load, save } from './storage.ts';

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
export const readOutbox = (fallback: Outbox): Outbox => load<Outbox>(OUTBOX_KEY) ?? fallback;

export const writeOutbox = (outbox: Outbox): void => {
  save(OUTBOX_KEY, outbox);
};

/**
 * Appends `entries` and drops the oldest entries until the outbox fits its bounds — at most
 * `maxEntries` events and `maxChars` characters of JSON — counting the drops. Mutates `outbox`.
 */
export const appendToOutbox = (
  outbox: Outbox,
  entries: OutboxEntry[],
  maxEntries = OUTBOX_MAX_EVENTS,
  maxChars = OUTBOX_MAX_CHARS,
): Outbox => {
  outbox.q.push(...entries);
  while (outbox.q.length > maxEntries || JSON.stringify(outbox.q).length > maxChars) {
    outbox.q.shift();
    outbox.d++;
  }
  return outbox;
};
