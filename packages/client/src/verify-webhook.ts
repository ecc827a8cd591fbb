import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEventType } from './types.ts';

/** A delivery's payload: the same `id` for every webhook and every retry (deduplicate on it). */
export type WebhookEvent = {
  id: string;
  type: WebhookEventType;
  createdAt: string;
  data: Record<string, unknown>;
};

export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null };

export type VerifyFailure =
  | 'missing_signature'
  | 'malformed_signature'
  | 'signature_mismatch'
  | 'timestamp_outside_tolerance'
  | 'invalid_payload';

export type VerifyOptions = {
  /** How far the signature's time may be from now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The current time (tests). */
  now?: Date | number;
};

export type VerifyResult =
  | { ok: true; event: WebhookEvent; deliveryId: string | null }
  | { ok: false; reason: VerifyFailure };

const SIGNATURE_HEADER = 'leadbeam-signature';

/**
 * Checks a delivery's `Leadbeam-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>`
 * against the raw body exactly as received (parse JSON only after this). Several `v1=` values and
 * several secrets are accepted, so either side can rotate its secret; comparisons are timing-safe, and a
 * signature older or newer than the tolerance window is refused (a replayed delivery).
 */
export function verifyWebhook(
  secret: string | readonly string[],
  headers: WebhookHeaders,
  rawBody: string | Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  const header = readHeader(headers, SIGNATURE_HEADER);
  if (!header) return { ok: false, reason: 'missing_signature' };
  const parsed = parseSignature(header);
  if (!parsed) return { ok: false, reason: 'malformed_signature' };

  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  const secrets = typeof secret === 'string' ? [secret] : secret;
  const matches = secrets.some((key) => {
    const expected = createHmac('sha256', key).update(`${parsed.timestamp}.`).update(body).digest();
    return parsed.signatures.some(
      (given) => given.length === expected.length && timingSafeEqual(given, expected),
    );
  });
  if (!matches) return { ok: false, reason: 'signature_mismatch' };

  const now = options.now === undefined ? Date.now() : Number(options.now);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(Math.floor(now / 1000) - parsed.timestamp) > tolerance) {
    return { ok: false, reason: 'timestamp_outside_tolerance' };
  }

  const event = parsePayload(body);
  if (!event) return { ok: false, reason: 'invalid_payload' };
  return { ok: true, event, deliveryId: readHeader(headers, 'leadbeam-delivery') };
}

/** `t=…,v1=…[,v1=…]` → the time and every v1 signature; unknown schemes are ignored. */
function parseSignature(header: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    if (at < 0) return null;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== null) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!/^[0-9a-f]{64}$/i.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

function parsePayload(body: Buffer): WebhookEvent | null {
  try {
    const value = JSON.parse(body.toString('utf8')) as Partial<WebhookEvent> | null;
    if (
      value &&
      typeof value.id === 'string' &&
      typeof value.type === 'string' &&
      typeof value.createdAt === 'string' &&
      typeof value.data === 'object' &&
      value.data !== null
    ) {
      return value as WebhookEvent;
    }
  } catch {}
  return null;
}

function readHeader(headers: WebhookHeaders, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}
