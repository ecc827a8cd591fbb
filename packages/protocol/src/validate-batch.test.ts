import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LIMITS } from './limits.ts';
import { validateBatch } from './validate-batch.ts';

const ts = '2026-11-23T10:00:05.000Z';

function pageView(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: randomUUID(),
    type: 'page_view',
    ts,
    url: 'https://acme.test/pricing',
    title: 'Pricing — Acme Pipelines',
    referrer: 'https://www.google.com/',
    tags: ['pricing', 'high-intent'],
    ...overrides,
  };
}

function batch(events: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    site: 'pk_live_acme',
    anonymousId: '5d2f8a1c-7e3b-4c9d-a6f0-2b8e1d4c7a93',
    sessionId: 'sess_k3J9xQ2m',
    sentAt: '2026-11-23T10:00:06.000Z',
    context: {
      locale: 'en-GB',
      screen: '1440x900',
      timezone: 'Europe/London',
      utm: { source: 'newsletter', medium: 'email', campaign: 'q4-roi' },
    },
    events,
    ...overrides,
  };
}

function expectRefused(body: unknown, messagePart: string) {
  const result = validateBatch(body);
  expect(result.ok).toBe(false);
  if (!result.ok) expect(result.message).toContain(messagePart);
}

describe('validateBatch: the envelope', () => {
  it('accepts a documented batch and keeps its envelope without the events', () => {
    const events = [pageView(), pageView({ url: 'https://acme.test/whitepaper', tags: ['whitepaper'] })];
    const result = validateBatch(batch(events));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.rejected).toEqual([]);
    expect(result.events.map((valid) => valid.index)).toEqual([0, 1]);
    expect(result.events.map((valid) => valid.event)).toEqual(events);
    expect(result.envelope).toEqual({
      site: 'pk_live_acme',
      anonymousId: '5d2f8a1c-7e3b-4c9d-a6f0-2b8e1d4c7a93',
      sessionId: 'sess_k3J9xQ2m',
      sentAt: '2026-11-23T10:00:06.000Z',
      context: batch([]).context,
    });
    expect(result.envelope).not.toHaveProperty('events');
  });

  it.each([null, undefined, 'text', 42, [], [pageView()]])('refuses the body %j', (body) => {
    expect(validateBatch(body).ok).toBe(false);
  });

  it(`accepts ${LIMITS.maxEventsPerBatch} events and refuses one more as a whole`, () => {
    const full = Array.from({ length: LIMITS.maxEventsPerBatch }, () => pageView());
    const result = validateBatch(batch(full));
    expect(result.ok && result.events.length).toBe(LIMITS.maxEventsPerBatch);
    expectRefused(batch([...full, pageView()]), 'events');
  });

  it('refuses an empty batch', () => {
    expectRefused(batch([]), 'events');
  });

  it(`fits a full batch of typical events in the ${LIMITS.maxBodyBytes / 1024} KiB body limit`, () => {
    // The collector answers 413 above maxBodyBytes; the SDK must be able to send a full batch.
    const full = Array.from({ length: LIMITS.maxEventsPerBatch }, () =>
      pageView({ url: `https://acme.test/blog/${'b'.repeat(120)}?utm_source=newsletter&utm_campaign=q4` }),
    );
    const bytes = new TextEncoder().encode(JSON.stringify(batch(full))).length;
    expect(LIMITS.maxBodyBytes).toBe(65_536);
    expect(bytes).toBeLessThan(LIMITS.maxBodyBytes);
  });

  it.each([
    ['anonymousId', 'null'],
    ['anonymousId', 'undefined'],
    ['anonymousId', '0'],
    ['anonymousId', 'anonymous'],
    ['anonymousId', 'aaaaaaaa'],
    ['anonymousId', '00000000-0000-0000-0000-000000000000'],
    ['anonymousId', 'short'],
    ['anonymousId', 'has spaces in it'],
    ['sessionId', 'undefined'],
    ['sessionId', 'xxxxxxxxxxxx'],
    ['sessionId', 1234567890],
  ])('refuses %s %j and names the field', (field, value) => {
    expectRefused(batch([pageView()], { [field]: value }), `${field}:`);
  });

  it('accepts uuids and random tokens as anonymous and session ids', () => {
    const ids = { anonymousId: randomUUID(), sessionId: 'V1StGXR8_Z5jdHi6B-myT' };
    expect(validateBatch(batch([pageView()], ids)).ok).toBe(true);
  });

  it.each([
    ['site', ''],
    ['site', 'p'.repeat(LIMITS.maxKeyLength + 1)],
    ['sentAt', '2026-11-23T10:00:06'],
    ['sentAt', 'yesterday'],
    ['sentAt', 1795428006000],
  ])('refuses %s %j and names the field', (field, value) => {
    expectRefused(batch([pageView()], { [field]: value }), `${field}:`);
  });

  it('refuses a batch without site, ids or sentAt', () => {
    for (const field of ['site', 'anonymousId', 'sessionId', 'sentAt', 'events']) {
      const body = batch([pageView()]);
      delete body[field];
      expectRefused(body, `${field}:`);
    }
  });

  it('accepts sentAt with a time-zone offset', () => {
    expect(validateBatch(batch([pageView()], { sentAt: '2026-11-23T11:00:06.000+01:00' })).ok).toBe(true);
  });

  it(`limits context strings to ${LIMITS.maxContextStringLength} characters`, () => {
    const at = (length: number) => ({ context: { locale: 'l'.repeat(length) } });
    expect(validateBatch(batch([pageView()], at(LIMITS.maxContextStringLength))).ok).toBe(true);
    expectRefused(batch([pageView()], at(LIMITS.maxContextStringLength + 1)), 'context.locale:');
    const utm = { context: { utm: { campaign: 'c'.repeat(LIMITS.maxContextStringLength + 1) } } };
    expectRefused(batch([pageView()], utm), 'context.utm.campaign:');
  });

  it.each(['1440', '1440X900', 'big', '1440x900x2'])('refuses the screen %j', (screen) => {
    expectRefused(batch([pageView()], { context: { screen } }), 'context.screen:');
  });

  it('drops unknown envelope fields and __proto__ keys', () => {
    const body = JSON.parse(
      JSON.stringify(batch([pageView()])).replace(
        '{',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"debug":true,',
      ),
    ) as unknown;
    const result = validateBatch(body);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.envelope).sort()).toEqual([
      'anonymousId',
      'context',
      'sentAt',
      'sessionId',
      'site',
    ]);
    expect(Object.getPrototypeOf(result.envelope)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('validateBatch: partial acceptance', () => {
  it('keeps the good events and lists each bad one with its index and the path of the problem', () => {
    const events = [
      pageView(),
      pageView({ url: 'not a url' }),
      pageView(),
      pageView({ ts: '23/11/2026 10:00' }),
      { id: randomUUID(), type: 'mouse_move', ts, x: 10 },
      pageView({ tags: ['ok', 'not ok'] }),
      'junk',
      pageView(),
    ];
    const result = validateBatch(batch(events));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((valid) => valid.index)).toEqual([0, 2, 7]);
    expect(result.events.map((valid) => valid.event.id)).toEqual([events[0], events[2], events[7]].map(idOf));
    expect(result.rejected.map((rejected) => rejected.index)).toEqual([1, 3, 4, 5, 6]);
    expect(result.rejected.every((rejected) => rejected.code === 'invalid_event')).toBe(true);
    const messages = result.rejected.map((rejected) => rejected.message);
    expect(messages[0]).toMatch(/^events\.1\.url: /);
    expect(messages[1]).toMatch(/^events\.3\.ts: /);
    expect(messages[2]).toMatch(/^events\.4\.type: /);
    expect(messages[3]).toMatch(/^events\.5\.tags\.1: /);
    expect(messages[4]).toMatch(/^events\.6: /);
  });

  it('accepts a batch in which every event is bad, listing them all', () => {
    const result = validateBatch(batch([{}, { type: 'page_view' }]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events).toEqual([]);
    expect(result.rejected.map((rejected) => rejected.index)).toEqual([0, 1]);
  });

  it('names every problem of an event, at most five', () => {
    const result = validateBatch(batch([{ type: 'form_step' }]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const message = result.rejected[0]?.message ?? '';
    for (const path of ['events.0.id', 'events.0.ts', 'events.0.url', 'events.0.form', 'events.0.step']) {
      expect(message).toContain(`${path}: `);
    }
    const nine = validateBatch(
      batch([{ type: 'page_view', id: 1, ts: 1, url: 1, title: 1, referrer: 1, tags: 1 }]),
    );
    expect(nine.ok && nine.rejected[0]?.message.split('; ')).toHaveLength(5);
  });

  it('normalizes the email of a kept identify event', () => {
    const identify = { id: randomUUID(), type: 'identify', ts, email: ' Jane@Acme.TEST ' };
    const result = validateBatch(batch([identify]));
    expect(result.ok && result.events[0]?.event).toMatchObject({ email: 'jane@acme.test' });
  });
});

describe('validateBatch: duplicate ids in one batch', () => {
  it('keeps the first event of an id and rejects its repeats', () => {
    const first = pageView();
    const repeat = { ...pageView(), id: first.id };
    const result = validateBatch(batch([first, pageView(), repeat, { ...first }]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.events.map((valid) => valid.index)).toEqual([0, 1]);
    expect(result.rejected).toEqual([
      { index: 2, code: 'invalid_event', message: 'events.2.id: repeats an earlier event of this batch' },
      { index: 3, code: 'invalid_event', message: 'events.3.id: repeats an earlier event of this batch' },
    ]);
  });

  it('does not count an invalid event as the first of its id', () => {
    const id = randomUUID();
    const result = validateBatch(batch([pageView({ id, ts: 'bad' }), pageView({ id })]));
    expect(result.ok && result.events.map((valid) => valid.index)).toEqual([1]);
    expect(result.ok && result.rejected.map((rejected) => rejected.index)).toEqual([0]);
  });
});

function idOf(event: unknown): unknown {
  return (event as { id: unknown }).id;
}
