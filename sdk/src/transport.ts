import { parseRetryAfter } from './backoff.ts';

/**
 * What became of a batch: acknowledged (remove its events), refused for good (drop them), or
 * to be retried — after the given milliseconds (Retry-After), or after the backoff delay.
 */
export type SendOutcome = 'ack' | 'drop' | 'retry' | number;

/** What an HTTP answer means for the batch that got it. */
export function classifyAnswer(status: number, retryAfter: string | null, now: number): SendOutcome {
  if (status === 429 || status === 503) return parseRetryAfter(retryAfter, now) ?? 'retry';
  return status >= 400 && status < 500 && status !== 408 ? 'drop' : 'retry';
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
    return (await response.json()).accepted >= 0 ? 'ack' : 'retry';
  } catch {
    return 'retry';
  }
}

/** Hands a batch to `navigator.sendBeacon` (page hiding); false when the browser refused it. */
export function beaconBatch(url: string, body: string): boolean {
  try {
    return navigator.sendBeacon(url, body);
  } catch {
    return false;
  }
}
