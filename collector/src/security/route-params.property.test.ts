import { randomUUID } from 'node:crypto';
import { STAGES } from '@leadbeam/scoring';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBuyingVisit } from '../api/api-test-kit.ts';
import { createMemoryLogger } from '../logger.ts';
import { findLeaksInLogs } from '../testing/log-scan.ts';
import { createTestCollector, DEMO_RULES, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import {
  hostileCursor,
  hostileNumber,
  hostileText,
  hostileTime,
  serverTime,
  taintedBody,
  type UrlValue,
  unstorableString,
  urlValue,
} from './hostile-inputs.ts';

type Parameter = { name: string; in: string };
type Operation = { method: string; path: string; parameters: Parameter[]; bodyFields: string[] | null };
type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content: Record<string, { schema: { $ref?: string } }> } }
    >
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
};
type Known = { lead: string; hook: string; cursor: string; seeds: Record<string, unknown[]> };
type Attempt = { url: string; body?: string; contentType?: string; injected: string[] };
type Payload = { body: string; injected: string[] };

const RUNS_PER_ROUTE = 200;
const EMAIL = 'hostile@acme.test';

/** Every operation of the app's own OpenAPI document; erasing ones last, so the others find the lead. */
async function operationsOf(t: TestCollector): Promise<Operation[]> {
  const document = (await (await t.app.request('/openapi.json')).json()) as OpenApiDocument;
  const fieldsOf = (ref: string | undefined) =>
    Object.keys(document.components.schemas[ref?.split('/').pop() ?? '']?.properties ?? {});
  return Object.entries(document.paths)
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => {
        const content = operation.requestBody && Object.values(operation.requestBody.content)[0];
        return {
          method: method.toUpperCase(),
          path,
          parameters: operation.parameters ?? [],
          bodyFields: content ? fieldsOf(content.schema.$ref) : null,
        };
      }),
    )
    .sort((a, b) => Number(a.method === 'DELETE') - Number(b.method === 'DELETE'));
}

// Read once to name one test per route; each database's app is checked to serve the same document.
const probe = await createTestCollector('pglite');
const OPERATIONS = await operationsOf(probe);
await probe.close();

/** Valid bodies of the routes that take one, to be tainted one string at a time. */
function seedBodies(t: TestCollector): Record<string, unknown[]> {
  const now = t.clock.now().toISOString();
  return {
    'POST /v1/leads/{lead}/stage': [
      { stage: 'sal', reason: 'call booked' },
      { stage: 'disqualified', reason: 'student' },
    ],
    'PUT /v1/scoring': [DEMO_RULES],
    'POST /v1/scoring/preview': [DEMO_RULES],
    'POST /v1/webhooks': [{ url: 'https://crm.example/hook', events: ['lead.mql'] }],
    'POST /v1/collect': [
      {
        site: t.site.publicKey,
        anonymousId: 'device-hostile-01',
        sessionId: 'session-hostile-01',
        sentAt: now,
        events: [
          {
            id: randomUUID(),
            type: 'page_view',
            ts: now,
            url: 'https://acme.test/pricing',
            title: 'Pricing',
          },
          {
            id: randomUUID(),
            type: 'identify',
            ts: now,
            email: 'other@acme.test',
            traits: { company: 'Acme' },
          },
        ],
      },
    ],
  };
}

const decodedOf = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};
const textsOf = (values: Sent[]) =>
  values.filter((value) => !value.trusted).flatMap((value) => [value.text, decodedOf(value.raw)]);

/** Strings and keys of a JSON value: what an error message must not repeat. */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsOf);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => [key, ...stringsOf(item)]);
  return [];
}

/** A value in the URL; a trusted one is the API's own vocabulary, which a refusal may well name. */
type Sent = UrlValue & { trusted?: boolean };

/** Mostly what the parameter should hold, sometimes hostile: a request then has about one bad part. */
const validOrHostile = (valid: fc.Arbitrary<string>, hostile: fc.Arbitrary<string>): fc.Arbitrary<Sent> =>
  fc.oneof(
    { weight: 2, arbitrary: valid.map((text) => ({ raw: encodeURIComponent(text), text, trusted: true })) },
    { weight: 1, arbitrary: urlValue(hostile) },
  );

const instant = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());

function pathValue(name: string, known: Known): fc.Arbitrary<Sent> {
  const valid =
    name === 'lead'
      ? fc.constantFrom(known.lead, known.lead.toUpperCase(), EMAIL, EMAIL.toUpperCase(), ` ${EMAIL} `)
      : fc.constant(known.hook);
  return validOrHostile(
    valid,
    fc.oneof(
      hostileText,
      hostileTime,
      fc.uuid(),
      fc.emailAddress(),
      fc.tuple(valid, hostileText).map(([value, junk]) => `${value}${junk}`),
    ),
  );
}

function queryValue(name: string, known: Known): fc.Arbitrary<Sent> {
  switch (name) {
    case 'cursor':
      return validOrHostile(
        fc.oneof(
          fc.constant(known.cursor),
          fc.tuple(serverTime, fc.uuid()).map((p) => base64url(p)),
        ),
        hostileCursor,
      );
    case 'at':
    case 'since':
    case 'updatedSince':
      return validOrHostile(
        fc.oneof(instant, serverTime),
        fc.oneof({ weight: 3, arbitrary: hostileTime }, hostileText),
      );
    case 'limit':
      return validOrHostile(fc.integer({ min: 1, max: 200 }).map(String), hostileNumber);
    case 'minScore':
      return validOrHostile(fc.double({ min: 0, max: 500, noNaN: true }).map(String), hostileNumber);
    case 'stage':
      return validOrHostile(fc.constantFrom(...STAGES), hostileText);
    case 'mql':
      return validOrHostile(fc.constantFrom('true', 'false'), hostileText);
    default:
      return urlValue(hostileText);
  }
}
const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function payloadOf(fields: string[], seeds: unknown[]): fc.Arbitrary<Payload> {
  const asJson = (value: unknown, injected: string[]) => ({
    body: JSON.stringify(value) ?? 'null',
    injected,
  });
  const fieldValue = fc.oneof(hostileText, unstorableString, fc.jsonValue({ maxDepth: 3 }));
  const shaped = fields.length > 0 ? fc.dictionary(fc.constantFrom(...fields), fieldValue) : fc.object();
  return fc.oneof(
    ...(seeds.length > 0
      ? [
          {
            weight: 6,
            arbitrary: fc
              .constantFrom(...seeds)
              .chain(taintedBody)
              .map((t) => asJson(t.value, t.injected)),
          },
          { weight: 1, arbitrary: fc.constantFrom(...seeds).map((seed) => asJson(seed, [])) },
        ]
      : []),
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => asJson(value, stringsOf(value))) },
    { weight: 2, arbitrary: shaped.map((value) => asJson(value, stringsOf(value))) },
    {
      weight: 1,
      arbitrary: fc
        .dictionary(fc.oneof(hostileText, unstorableString), fieldValue, { maxKeys: 3 })
        .map((value) => asJson(value, stringsOf(value))),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom('{', '{"stage":"sal"', '', '"\\u0000"', '[[[[[[[[', '{"a":1}{')
        .map((body) => ({ body, injected: [] })),
    },
  );
}

function attemptOf(operation: Operation, known: Known): fc.Arbitrary<Attempt> {
  const pathParams = operation.parameters.filter((p) => p.in === 'path');
  const queryNames = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  const documentedQuery = queryNames.map((name) =>
    fc
      .option(fc.array(queryValue(name, known), { minLength: 1, maxLength: 2 }), { freq: 3, nil: undefined })
      .map((values) =>
        (values ?? []).map((value): [Sent, Sent] => [{ raw: name, text: name, trusted: true }, value]),
      ),
  );
  const junkQuery = fc.array(fc.tuple(urlValue(hostileText), urlValue(hostileText)), { maxLength: 2 });
  const seeds = known.seeds[`${operation.method} ${operation.path}`] ?? [];
  return fc
    .record({
      params: fc.tuple(...pathParams.map((p) => pathValue(p.name, known))),
      query: fc
        .tuple(fc.option(junkQuery, { freq: 2, nil: [] }), ...documentedQuery)
        .map((groups) => groups.flat()),
      payload: operation.bodyFields
        ? fc.option(payloadOf(operation.bodyFields, seeds), { freq: 10, nil: undefined })
        : fc.constant(undefined),
      contentType: fc.option(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded'), {
        freq: 6,
        nil: 'application/json',
      }),
    })
    .map(({ params, query, payload, contentType }) => {
      let path = operation.path;
      pathParams.forEach((p, i) => {
        path = path.replace(`{${p.name}}`, params[i]?.raw ?? '');
      });
      const search = query.map(([name, value]) => `${name.raw}=${value.raw}`).join('&');
      const injected = [...textsOf(params), ...textsOf(query.flat()), ...(payload?.injected ?? [])];
      return {
        url: search ? `${path}?${search}` : path,
        ...(payload ? { body: payload.body, contentType } : {}),
        // The documented names are the API's own words, which a refusal should use.
        injected: injected.filter(
          (value) => !queryNames.includes(value) && !operation.bodyFields?.includes(value),
        ),
      };
    });
}

/**
 * Every route the OpenAPI document lists, called with a valid secret key and hostile path
 * parameters, query parameters (documented and not), cursors and bodies: never a 5xx, every
 * refusal is `{"error":{"code","message"}}`, and no message repeats what the client sent.
 */
describe.each(DATABASE_KINDS)('every route under hostile parameters on %s', (kind) => {
  const logger = createMemoryLogger();
  let t: TestCollector;
  let known: Known;
  beforeAll(async () => {
    t = await createTestCollector(kind, { deps: { logger } });
    await sendBuyingVisit(t, EMAIL);
    const read = async (path: string, init: RequestInit = {}) =>
      (await (
        await t.app.request(path, {
          ...init,
          headers: { authorization: `Bearer ${t.site.secretKey}`, 'content-type': 'application/json' },
        })
      ).json()) as Record<string, string>;
    const lead = (await read(`/v1/leads/${EMAIL}`)).id as string;
    const hook = (await read('/v1/webhooks', { method: 'POST', body: '{"url":"https://crm.example/hook"}' }))
      .id as string;
    const cursor = (await read(`/v1/leads/${lead}/events?limit=1`)).nextCursor as string;
    known = { lead, hook, cursor, seeds: seedBodies(t) };
    expect(await operationsOf(t)).toEqual(OPERATIONS);
  });
  afterAll(async () => {
    expect(logger.lines.filter((line) => line.includes('unhandled error'))).toEqual([]);
    expect(findLeaksInLogs(logger.lines)).toEqual([]);
    await t.close();
  });

  it.each(OPERATIONS.map((operation) => [`${operation.method} ${operation.path}`, operation] as const))(
    '%s answers below 500, in the error shape, echoing nothing',
    async (_, operation) => {
      await fc.assert(
        fc.asyncProperty(attemptOf(operation, known), async (attempt) => {
          const response = await t.app.request(attempt.url, {
            method: operation.method,
            headers: {
              authorization: `Bearer ${t.site.secretKey}`,
              ...(attempt.contentType ? { 'content-type': attempt.contentType } : {}),
            },
            ...(attempt.body === undefined ? {} : { body: attempt.body }),
          });
          expect(response.status, attempt.url).toBeLessThan(500);
          if (response.status < 400) return;
          const answer = (await response.json()) as { error: { message: string; issues?: unknown[] } };
          expect(Object.keys(answer)).toEqual(['error']);
          expect(answer.error).toEqual({
            code: expect.any(String),
            message: expect.any(String),
            ...(answer.error.issues ? { issues: expect.any(Array) } : {}),
          });
          const shown = [answer.error.message, ...stringsOf(answer.error.issues ?? [])];
          for (const value of attempt.injected.filter((injected) => injected.length > 8))
            for (const text of shown) expect(text, `${value} echoed`).not.toContain(value);
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    },
    60_000,
  );
});
