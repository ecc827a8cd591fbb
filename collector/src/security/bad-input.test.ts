import { randomUUID } from 'node:crypto';
import { validateBatch } from '@leadbeam/protocol';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createMemoryLogger } from '../logger.ts';
import { findLeaksInLogs } from '../testing/log-scan.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { type BadInput, buildBadInputs } from './bad-input-corpus.ts';

const ORIGIN = 'https://acme.test';
const now = () => new Date('2026-11-23T10:00:00.000Z');

/** Anything JSON can hold, to put where a field should be. */
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    'null',
    'undefined',
    '__proto__',
    '\u0000',
    '\ud800',
    'x'.repeat(3000),
    -0,
    Number.MAX_VALUE,
  ),
);
/** Mostly the valid value, sometimes junk, sometimes absent. */
const field = <T>(valid: fc.Arbitrary<T>, validWeight = 12) =>
  fc.oneof(
    { weight: validWeight, arbitrary: valid },
    { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
/** Envelope fields are mostly valid, so that most runs reach the events. */
const envelopeField = <T>(valid: fc.Arbitrary<T>) => field(valid, 40);
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 140 }),
);
const url = fc.oneof(
  fc.webUrl(),
  fc.constantFrom('https://acme.test/pricing', 'javascript:alert(1)', '//x', 'https://'),
);
const scalars = fc.dictionary(
  fc.oneof(text, fc.constantFrom('__proto__', 'constructor', 'prototype')),
  fc.oneof(text, fc.double(), fc.boolean(), fc.constant(null), junk),
  { maxKeys: 6 },
);
const eventFields: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  page_view: {
    url,
    title: text,
    referrer: fc.oneof(url, fc.constant('')),
    tags: fc.array(text, { maxLength: 25 }),
  },
  download: { url, href: url, tags: fc.array(text, { maxLength: 3 }) },
  form_step: {
    url,
    form: text,
    step: fc.integer({ min: -2, max: 60 }),
    stepName: text,
    steps: fc.integer({ min: -2, max: 60 }),
  },
  form_submit: { url, form: text },
  thank_you: { url, conversion: text },
  action: { url, name: text },
  identify: { url, email: fc.oneof(fc.emailAddress(), text), traits: scalars },
  track: { url, name: text, props: scalars },
};
const anyEvent = fc.oneof(
  ...Object.entries(eventFields).map(([type, fields]) =>
    fc.record({
      id: field(fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'x'))),
      ts: field(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
      type: field(fc.constantFrom(type, 'page_view', 'nope')),
      ...Object.fromEntries(Object.entries(fields).map(([name, arbitrary]) => [name, field(arbitrary)])),
      extra: fc.option(junk, { nil: undefined }),
    }),
  ),
  junk,
);
const clientId = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9._:-]{8,40}$/) },
  { weight: 1, arbitrary: fc.constantFrom('null', 'anonymous', 'aaaaaaaa') },
);
const anyEnvelope = (publicKey: string) =>
  fc.record({
    site: envelopeField(fc.constantFrom(publicKey, publicKey, publicKey, publicKey, 'pk_nope', 'sk_secret')),
    anonymousId: envelopeField(clientId),
    sessionId: envelopeField(clientId),
    sentAt: envelopeField(fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    context: envelopeField(
      fc.record({
        locale: field(text),
        screen: field(fc.constantFrom('1440x900', '1x', 'big')),
        utm: field(fc.record({ source: field(text) })),
      }),
    ),
    events: envelopeField(fc.array(anyEvent, { minLength: 1, maxLength: 12 })),
    protoKey: fc.option(junk, { nil: undefined }),
  });

/** The JSON text of a fuzzed envelope; `protoKey` is sent as a `__proto__` key. */
const toBody = (value: unknown) => (JSON.stringify(value) ?? '').replace('"protoKey":', '"__proto__":');

describe.each(DATABASE_KINDS)('malformed input to /v1/collect on %s', (kind) => {
  let t: TestCollector;
  /** Ids of events the protocol accepts, from every request answered 200. */
  const validIds = new Set<string>();
  const stats = { tried: 0, serverErrors: 0, refused: 0, partial: 0, accepted: 0 };
  let acknowledged = 0;

  const logger = createMemoryLogger();
  beforeAll(async () => {
    t = await createTestCollector(kind, { origins: [ORIGIN], start: now().toISOString(), deps: { logger } });
  });
  afterAll(async () => {
    console.log(
      `[bad-input ${kind}] inputs tried: ${stats.tried}, 5xx: ${stats.serverErrors}, 4xx: ${stats.refused}, 200 with rejected: ${stats.partial}, 200 storing events: ${stats.accepted}`,
    );
    await t.close();
  });

  const make = (events: Record<string, unknown>[], extra: Record<string, unknown> = {}) => ({
    site: t.site.publicKey,
    anonymousId: `fuzz-device-${randomUUID().slice(0, 8)}`,
    sessionId: `fuzz-session-${randomUUID().slice(0, 8)}`,
    sentAt: now().toISOString(),
    events,
    ...extra,
  });

  /** Sends one input and checks the answer is a clear refusal or a precise partial acceptance. */
  async function send(input: BadInput): Promise<Response> {
    const bytes = typeof input.body === 'string' ? new TextEncoder().encode(input.body) : input.body;
    const headers: Record<string, string> = { 'user-agent': 'Mozilla/5.0 Chrome/131.0', ...input.headers };
    if (input.contentType !== null) headers['content-type'] = input.contentType ?? 'text/plain;charset=UTF-8';
    const response = await t.app.request('/v1/collect', {
      method: 'POST',
      headers,
      body: bytes,
      ...(bytes instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit);
    stats.tried++;
    if (response.status >= 500) stats.serverErrors++;
    const answer = (await response.clone().json()) as Record<string, unknown>;
    if (response.status === 200) {
      const local = validateBatch(
        JSON.parse(
          typeof input.body === 'string' ? input.body : new TextDecoder().decode(bytes as Uint8Array),
        ),
      );
      expect(local.ok).toBe(true);
      if (!local.ok) return response;
      for (const { event } of local.events) validIds.add(event.id);
      const rejected = answer.rejected as { index: number; code: string; message: string }[];
      expect(rejected.map((r) => r.index)).toEqual(local.rejected.map((r) => r.index));
      for (const entry of rejected) {
        expect(entry).toEqual({
          index: expect.any(Number),
          code: 'invalid_event',
          message: expect.stringMatching(/^events\.\d+/),
        });
      }
      expect((answer.accepted as number) + (answer.duplicates as number)).toBe(local.events.length);
      acknowledged += answer.accepted as number;
      if ((answer.accepted as number) > 0) stats.accepted++;
      if (rejected.length > 0) stats.partial++;
    } else {
      stats.refused++;
      expect(response.status, `${input.name}: ${JSON.stringify(answer)}`).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(answer).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect((answer.error as { message: string }).message.length).toBeGreaterThan(5);
    }
    return response;
  }

  it('answers every input of the corpus with a clear 4xx or a precise 200, never a 5xx', async () => {
    const corpus = buildBadInputs(make);
    expect(corpus.length).toBeGreaterThanOrEqual(100);
    for (const input of corpus) {
      const response = await send(input);
      if (input.status) expect(response.status, input.name).toBe(input.status);
    }
    expect(stats.serverErrors).toBe(0);
  });

  it('survives a fuzzer over the envelope and every event type', async () => {
    await fc.assert(
      fc.asyncProperty(anyEnvelope(t.site.publicKey), async (envelope) => {
        const response = await send({ name: 'fuzz', body: toBody(envelope) });
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 250, seed: 7_2026 },
    );
    expect(stats.serverErrors).toBe(0);
  });

  it('stored only valid events, exactly the acknowledged ones, in the allowed time window', async () => {
    const stored = await queryRows<{
      id: string;
      type: string;
      ms: number;
      text: string;
      data: Record<string, unknown>;
    }>(
      t.db,
      sql`select id, type, (extract(epoch from ts) * 1000)::float8 as ms, data::text as text, data
          from events where site_id = ${t.site.id}`,
    );
    expect(stored.length).toBe(acknowledged);
    const received = now().getTime();
    for (const event of stored) {
      expect(validIds.has(event.id), `stored event ${event.id} was never valid`).toBe(true);
      expect(event.ms).toBeLessThanOrEqual(received);
      expect(event.ms).toBeGreaterThanOrEqual(received - 7 * 24 * 3600 * 1000);
      expect(event.text).not.toMatch(/\\u0000|\\ud[89a-f]/i);
      const values = Object.values((event.data.props ?? event.data.traits ?? {}) as Record<string, unknown>);
      for (const value of values) expect(value === null || typeof value !== 'object').toBe(true);
    }
    const polluted = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from leads where site_id = ${t.site.id} and (email like '%evil.test' or traits ? 'polluted')`,
    );
    expect(polluted[0]?.n).toBe(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('logged nothing personal while refusing all of it', () => {
    expect(findLeaksInLogs(logger.lines)).toEqual([]);
  });
});
