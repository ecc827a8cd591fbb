import { LIMITS } from '@leadbeam/protocol';

/**
 * When an event really happened, whatever the visitor's clock says: the SDK stamps `ts` and
 * `sentAt` with the same (possibly wrong) clock, so their difference is trustworthy and the
 * collector's receive time anchors it. Clamped to the last 7 days and never in the future.
 */
export function correctEventTime(ts: string, sentAt: string, receivedAt: Date): Date {
  const received = receivedAt.getTime();
  const age = Date.parse(sentAt) - Date.parse(ts);
  const corrected = received - (Number.isFinite(age) ? age : 0);
  return new Date(Math.min(received, Math.max(received - LIMITS.maxEventAgeMs, corrected)));
}
