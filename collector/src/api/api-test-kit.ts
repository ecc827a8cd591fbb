import type { WireEventInput } from '@leadbeam/protocol';
import { page, type TestCollector } from '../testing/test-collector.ts';

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON checked field by field with expect
export type ApiAnswer = { status: number; headers: Headers; body: any };

/** Calls the lead API as a backend would, with the site's secret key unless told otherwise. */
export function apiClient(t: TestCollector, key: string | null = t.site.secretKey) {
  return async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiAnswer> => {
    const response = await t.app.request(path, {
      method,
      headers: {
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
}

export const identify = (email: string, traits: Record<string, string> = {}) =>
  ({ type: 'identify', email, traits }) as Partial<WireEventInput>;

/**
 * A realistic buying visit under DEMO_RULES: pricing (15), the whitepaper (25, 60-day half-life),
 * the 3-step demo form (3 × 5), its submit (40) and the thank-you page (20) = 115, then identify.
 */
export const BUYING_VISIT: Partial<WireEventInput>[] = [
  page('/', { referrer: 'https://www.google.com/' } as Partial<WireEventInput>),
  page('/pricing'),
  {
    type: 'download',
    url: 'https://acme.test/resources',
    href: 'https://acme.test/files/guide.pdf',
    tags: ['whitepaper'],
  },
  ...[1, 2, 3].map(
    (step) =>
      ({
        type: 'form_step',
        url: 'https://acme.test/demo',
        form: 'demo-request',
        step,
        steps: 3,
      }) as Partial<WireEventInput>,
  ),
  { type: 'form_submit', url: 'https://acme.test/demo', form: 'demo-request' },
  { type: 'thank_you', url: 'https://acme.test/thanks', conversion: 'demo-request' },
];

export const VISIT_POINTS = 115;
/** The visit's score one default half-life (30 d) later: 90 points halve, the whitepaper's 25 lose a quarter-ish. */
export const VISIT_POINTS_AFTER_30D = 90 / 2 + 25 * 2 ** -0.5;

/** Sends the buying visit from a fresh device and identifies it; answers the device id. */
export async function sendBuyingVisit(
  t: TestCollector,
  email: string,
  device = `dev-${email.replace(/[^a-z0-9]/gi, '')}`,
): Promise<string> {
  await t.send({
    anonymousId: device,
    sessionId: `ses-${device}`,
    context: { utm: { source: 'linkedin', campaign: 'q4' } },
    events: [...BUYING_VISIT, identify(email, { company: 'Acme' })],
  });
  return device;
}

export const DAY = 24 * 3600 * 1000;
