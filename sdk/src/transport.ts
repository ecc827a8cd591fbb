import { parseRetryAfter } from './backoff.ts';

/**
 * What became of a batch: acknowledged (remove its events), refused for good (drop them), or
 * to be retried — after the backoff delay, or after the given milliseconds (Retry-After, ≥ 0).
 */
export type SendOutcome = number;
export const ACK = -1;
export const DROP = -2;
export const RETRY = -3;

/**
 * What an HTTP answer means for its batch: other 4xx than 408 and 429 will never be accepted
 * (drop); everything else is retried, after Retry-After when the answer has one.
 */
export function classifyAnswer(status: number, retryAfter: string | null, now: number): SendOutcome {
  return status > 399 && status < 500 && status !== 408 && status !== 429
    ? DROP
    : (parseRetryAfter(retryAfter, now) ?? RETRY);
}

/**
 * POSTs one batch. A string body goes as `text/plain;charset=UTF-8`, a CORS-simple request
 * without preflight; `keepalive` lets it finish when the page goes away. A 2xx counts only with
 * the collector's JSON answer (a captive portal's 200 page does not).
 */
export async function postBatch(url: string, body: string): Promise<SendOutcome> {
  try {
    const response = await fetch(url, { method: 'POST', body, keepalive: true });
    if (!response.ok) return classifyAnswer(response.status, response.headers.get('retry-after'), Date.now());
    return (await response.json()).accepted >= 0 ? ACK : RETRY;
  } catch {
    return RETRY;
  }
}

/** Hands a batch to `navigator.sendBeacon` (page hiding); false when the browser refused it or has none. */
export function beaconBatch(url: string, body: string): boolean | undefined {
  return navigator.sendBeacon?.(url, body);
}
