import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiAnswer, apiClient, sendBuyingVisit } from '../api/api-test-kit.ts';
import { createMemoryLogger } from '../logger.ts';
import { createTestCollector, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

const EMAIL = 'reported@acme.test';
const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const ID = '5f0c3a2e-8d1b-4c7a-9e2f-1a2b3c4d5e6f';

/** The cursors outside testers sent: `Date.parse` takes each time, PostgreSQL refuses it. */
const REPORTED_CURSORS = {
  'a time of "1"': forged(['1', 'x']),
  'a zone of GMT+9999': forged(['Thu, 01 Jan 2026 00:00:00 GMT+9999', ID]),
  'year 275760': forged(['+275760-09-13T00:00:00.000Z', ID]),
  'a NUL': forged(['2026-11-23T10:00:00.000000Z', `${ID}\u0000`]),
};

/**
 * Each input outside testers (and then we) found answered 500, and whose 500 logged the path
 * with a lead's email: now a precise 400 that echoes nothing, and nothing in the error log.
 */
describe.each(DATABASE_KINDS)('the lead API’s reported 500s on %s', (kind) => {
  const logger = createMemoryLogger();
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  let lead: string;
  let hook: string;
  beforeAll(async () => {
    t = await createTestCollector(kind, { deps: { logger } });
    api = apiClient(t);
    await sendBuyingVisit(t, EMAIL);
    lead = (await api('GET', `/v1/leads/${EMAIL}`)).body.id;
    hook = (await api('POST', '/v1/webhooks', { url: 'https://crm.example/hook' })).body.id;
  });
  afterAll(() => t.close());

  const expectRefused = (answer: ApiAnswer, message: string | RegExp) => {
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_request');
    expect(answer.body.error.message).toMatch(message);
    const logs = logger.lines.join('\n');
    expect(logs).not.toContain('unhandled error');
    expect(logs).not.toContain(EMAIL);
  };

  for (const [name, cursor] of Object.entries(REPORTED_CURSORS)) {
    it(`refuses a cursor with ${name} on every list that pages`, async () => {
      for (const path of [
        `/v1/leads?cursor=${cursor}`,
        `/v1/leads/${lead}/events?cursor=${cursor}`,
        `/v1/leads/${EMAIL}/events?cursor=${cursor}`,
        `/v1/webhooks/${hook}/deliveries?cursor=${cursor}`,
      ])
        expectRefused(
          await api('GET', path),
          'invalid query: cursor: pass back the nextCursor of a previous answer',
        );
    });
  }

  it('refuses a NUL in a lead id or email, on every route under /v1/leads/{lead}', async () => {
    for (const ref of [`${lead}%00`, 'reported%00@acme.test', `reported@acme.test%00`]) {
      for (const [method, path, body] of [
        ['GET', `/v1/leads/${ref}`],
        ['GET', `/v1/leads/${ref}/events`],
        ['GET', `/v1/leads/${ref}/sessions`],
        ['GET', `/v1/leads/${ref}/transitions`],
        ['POST', `/v1/leads/${ref}/stage`, { stage: 'sal' }],
        ['DELETE', `/v1/leads/${ref}`],
      ] as const)
        expectRefused(
          await api(method, path, body),
          /^invalid request: the path must not contain control characters/,
        );
    }
    expect((await api('GET', `/v1/leads/${EMAIL}`)).status).toBe(200);
  });

  it('refuses a NUL in a webhook id', async () => {
    expectRefused(await api('GET', '/v1/webhooks/wh%00x/deliveries'), /^invalid request: the path must not/);
  });

  it('refuses a path that is neither a lead id nor an email, naming the parameter', async () => {
    expectRefused(
      await api('GET', '/v1/leads/not-a-lead-id'),
      "invalid path: lead: must be the lead's id (a uuid) or its email address",
    );
  });

  it.each([
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['an offset of +23:00', '2026-01-01T00:00:00%2B23:00'],
    ['an offset of -20:00', '2026-01-01T00:00:00-20:00'],
  ])('refuses since and updatedSince at %s, which zod took and PostgreSQL did not', async (_, time) => {
    const hint = 'must be an ISO 8601 time with a zone, like 2026-11-23T10:00:00Z, from year 1970 to 9999';
    expectRefused(await api('GET', `/v1/stats?since=${time}`), `invalid query: since: ${hint}`);
    expectRefused(await api('GET', `/v1/leads?updatedSince=${time}`), `invalid query: updatedSince: ${hint}`);
    expectRefused(await api('GET', `/v1/leads/${lead}?at=${time}`), `invalid query: at: ${hint}`);
  });

  it.each([
    ['a NUL', 'call\u0000booked'],
    ['an unpaired surrogate', 'call \ud800 booked'],
  ])('refuses a JSON body with %s in a string, which text and jsonb cannot store', async (_, text) => {
    const hint = 'invalid body: strings must not contain NUL (U+0000) or unpaired surrogates';
    expectRefused(await api('POST', `/v1/leads/${lead}/stage`, { stage: 'sal', reason: text }), hint);
    expectRefused(
      await api('POST', '/v1/webhooks', { url: `https://crm.example/${text}` }),
      /^invalid body: /,
    );
    expect((await api('GET', `/v1/leads/${lead}`)).body.stage).not.toBe('sal');
  });

  it('still pages with the cursors it hands out', async () => {
    const first = await api('GET', `/v1/leads/${lead}/events?limit=2`);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await api('GET', `/v1/leads/${lead}/events?limit=2&cursor=${first.body.nextCursor}`);
    expect(next.status).toBe(200);
    expect(next.body.data[0].id).not.toBe(first.body.data[1].id);
  });
});
