import { parseRetryAfter } from './backoff.ts';

/**
 * What became of a batch: acknowledged (remove its events), refused for good (drop them), or
 * to be retried — after the backoff delay, or after the given milliseconds (Retry-After, ≥ 0).
 */
export type SendOutcome = number;
export const RETRY = -1;
export const DROP = -2;
export const ACK = -3;

/**
 * What an HTTP answer means for its batch: other 4xx than 408 and 429 will never be accepted
 * (drop); everything else is retried, after Retry-After when the answer has one.
 */
export const classifyAnswer = (status: number, retryAfter: string | null, now: number): SendOutcome =>
  /^4(?!08|29)/.test(`${status}`) ? DROP : (parseRetryAfter(retryAfter, now) ?? RETRY);

/**
 * POSTs one batch. A string body goes as `text/plain;charset=UTF-8`, a CORS-simple request
 * without preflight; `keepalive` lets it finish when the page goes away. A 2xx counts only with
 * the collector's JSON answer (a captive portal's 200 page does not).
 */
export const postBatch = async (url: string, body: string): Promise<SendOutcome> => {
  try {
    const response = await fetch(url, { method: 'POST', body, keepalive: true });
    if (!response.ok) return classifyAnswer(response.status, response.headers.get('retry-after'), Date.now());
    return (await response.json()).accepted >= 0 ? ACK : RETRY;
  } catch {
    return RETRY;
  }
};

/** Hands a batch to `navigator.sendBeacon` (page hiding); false when the browser refused it or has none. */
export const beaconBatch = (url: string, body: string): boolean | undefined =>
  navigator.sendBeacon?.(url, body);
