/**
 * Realistic SDK batches, reproducible from numbers: the load generator sends them, the
 * raw-insert ceiling stores the same rows, and the verification rebuilds their event ids in SQL.
 */
import type { WireBatch, WireEventInput } from '@leadbeam/protocol';

export const EVENTS_PER_BATCH = 10;
/** One device in ten identifies (its batches end with an `identify`). */
export const IDENTIFYING_SHARE = 10;

export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
];

/** An event's own fields, before the SDK gives it an id and a time. */
type EventFields = WireEventInput extends infer E
  ? E extends unknown
    ? Omit<E, 'id' | 'ts'>
    : never
  : never;

const hex = (value: number, width: number) => value.toString(16).padStart(width, '0');

/**
 * The id of event `index` of batch `seq` in bench step `step` of run `run` (8 hex digits): a
 * valid v4-shaped uuid that SQL can rebuild with `format()` (see verify-events.ts).
 */
export function benchEventId(run: string, step: number, seq: number, index: number): string {
  return `${run}-${hex(step, 4)}-4${hex(index, 3)}-8000-${hex(seq, 12)}`;
}

/** The device a batch comes from: batches spread over `devices` devices, each seen again and again. */
export function deviceOf(seq: number, devices: number): number {
  return (seq * 7919) % devices;
}

export type BatchSpec = { run: string; step: number; seq: number; devices: number; siteKey: string };

/** A batch of 10 events as the SDK sends it after a visitor reads pricing, downloads and books a demo. */
export function buildBatch(spec: BatchSpec, now = Date.now()): WireBatch {
  const device = deviceOf(spec.seq, spec.devices);
  const page = (path: string) => `https://acme.test${path}`;
  const identifying = device % IDENTIFYING_SHARE === 0;
  const kinds: EventFields[] = [
    { type: 'page_view', url: page('/'), title: 'Acme Pipelines', referrer: 'https://www.google.com/' },
    { type: 'page_view', url: page('/pricing'), title: 'Pricing', tags: ['pricing'] },
    { type: 'page_view', url: page('/product/integrations'), title: 'Integrations' },
    {
      type: 'download',
      url: page('/resources'),
      href: 'https://acme.test/files/pipeline-guide.pdf',
      tags: ['whitepaper'],
    },
    { type: 'form_step', url: page('/demo'), form: 'demo-request', step: 1, stepName: 'contact', steps: 3 },
    { type: 'form_step', url: page('/demo'), form: 'demo-request', step: 2, stepName: 'company', steps: 3 },
    { type: 'form_step', url: page('/demo'), form: 'demo-request', step: 3, stepName: 'needs', steps: 3 },
    { type: 'form_submit', url: page('/demo'), form: 'demo-request' },
    { type: 'thank_you', url: page('/demo/thanks'), conversion: 'demo-request' },
    identifying
      ? {
          type: 'identify',
          email: `person${device}@company${device % 997}.test`,
          traits: { name: `Person ${device}`, company: `Company ${device % 997}` },
        }
      : { type: 'action', url: page('/demo/thanks'), name: 'book-call' },
  ];
  return {
    site: spec.siteKey,
    anonymousId: `bench-device-${spec.run}-${device}`,
    sessionId: `bench-session-${spec.run}-${device}`,
    sentAt: new Date(now).toISOString(),
    context: {
      locale: 'en-GB',
      screen: '1440x900',
      timezone: 'Europe/London',
      ...(device % 3 === 0 ? { utm: { source: 'newsletter', medium: 'email', campaign: 'launch' } } : {}),
    },
    events: kinds.map(
      (kind, index) =>
        ({
          ...kind,
          id: benchEventId(spec.run, spec.step, spec.seq, index),
          ts: new Date(now - (EVENTS_PER_BATCH - index) * 1_000).toISOString(),
        }) as WireEventInput,
    ),
  };
}
