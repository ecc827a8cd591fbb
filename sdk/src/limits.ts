/**
 * Numbers the SDK needs. Wire limits are copied from `LIMITS` of `@leadbeam/protocol` (importing
 * the value would drag zod into the bundle); `limits.test.ts` checks that the copies still match.
 */

/** LIMITS.maxEventsPerBatch */
export const MAX_EVENTS_PER_BATCH = 100;
/** LIMITS.maxUrlLength */
export const MAX_URL = 2048;
/** LIMITS.maxTitleLength */
export const MAX_TITLE = 512;
/** LIMITS.maxNameLength (event, form, step, action, conversion, prop and trait names) */
export const MAX_NAME = 128;
/** LIMITS.maxTagLength */
export const MAX_TAG = 64;
/** LIMITS.maxTagsPerEvent */
export const MAX_TAGS = 20;
/** LIMITS.maxEmailLength */
export const MAX_EMAIL = 254;
/** LIMITS.maxTraits and LIMITS.maxProps */
export const MAX_KEYS = 50;
/** LIMITS.maxTraitValueLength */
export const MAX_TRAIT_VALUE = 512;
/** LIMITS.maxPropValueLength */
export const MAX_PROP_VALUE = 1024;
/** LIMITS.maxFormSteps */
export const MAX_STEPS = 50;
/** LIMITS.maxContextStringLength */
export const MAX_CONTEXT = 128;

/**
 * Batch size in UTF-16 code units of the events' JSON. A code unit is at most 3 UTF-8 bytes, so a
 * batch stays under 48 KB plus its envelope — well below the 64 KiB body limit and the browsers'
 * 64 KiB keepalive/beacon quota.
 */
export const MAX_BATCH_CHARS = 16_000;

/** The outbox keeps at most this many events … */
export const OUTBOX_MAX_EVENTS = 500;
/** … and at most this many characters of JSON (about 0.5 MB of localStorage). */
export const OUTBOX_MAX_CHARS = 250_000;

/** Debounce before a normal send, so events of one interaction travel together. */
export const SEND_DELAY_MS = 1000;
/** How long events handed to fetch or sendBeacon are left alone by other sends and tabs. */
export const LEASE_MS = 10_000;
/** First retry delay, doubled on each failure … */
export const BACKOFF_BASE_MS = 1000;
/** … up to this. */
export const BACKOFF_MAX_MS = 300_000;

/** A session ends after 30 minutes without events. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
/** The anonymous id cookie lives 13 months (396 days), in seconds. */
export const ID_MAX_AGE_S = 396 * 24 * 60 * 60;
