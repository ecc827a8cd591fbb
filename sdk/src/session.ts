import type { Utm } from '@leadbeam/protocol';
import { createId } from './ids.ts';
import { MAX_CONTEXT, SESSION_IDLE_MS } from './limits.ts';

/** The session as stored in localStorage (`lb_s`); short keys, it is written on every event. */
export type Session = {
  /** session id */
  i: string;
  /** time of the last event, ms */
  t: number;
  /** UTM parameters of the session's landing page */
  u?: Utm | undefined;
};

export const SESSION_KEY = 'lb_s';

/**
 * The session an event at `now` belongs to: the stored one while it has been active within the
 * last 30 minutes, else a new one whose UTM comes from the current (landing) URL.
 */
export const continueSession = (stored: Session | undefined, now: number, landingUrl: string): Session =>
  stored?.i && now - stored.t < SESSION_IDLE_MS
    ? { ...stored, t: now }
    : { i: createId(), t: now, u: readUtm(landingUrl) };

/**
 * The `utm_*` parameters of a URL (`utm_source` → `source`), each cut to the wire limit;
 * undefined when there are none. Unknown `utm_*` names are left for the collector to ignore.
 */
export const readUtm = (url: string): Utm | undefined => {
  let utm: Record<string, string> | undefined;
  new URL(url).searchParams.forEach((value, key) => {
    if (value && key.startsWith('utm_')) utm = { ...utm, [key.slice(4)]: value.slice(0, MAX_CONTEXT) };
  });
  return utm;
};
