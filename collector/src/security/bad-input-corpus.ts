/**
 * Malformed requests to `POST /v1/collect`, one family per thing a hostile or buggy client
 * sends: broken JSON, wrong media types, oversized bodies and strings, deep nesting, huge arrays,
 * invalid UTF-8 and lone surrogates, NUL bytes, wrong types in every field, absurd times, junk
 * ids, invalid emails, unknown and prototype-polluting keys. `build` gets a valid envelope maker.
 */
import { randomUUID } from 'node:crypto';

export type BadInput = {
  name: string;
  contentType?: string | null;
  body: string | Uint8Array | ReadableStream<Uint8Array>;
  headers?: Record<string, string>;
  /** The status this input must get, when it is known exactly. */
  status?: number;
};

type Json = Record<string, unknown>;
export type EnvelopeMaker = (events: Json[], extra?: Json) => Json;

const URL_ = 'https://acme.test/pricing';
const validEvents = (): Record<string, Json> => ({
  page_view: { type: 'page_view', url: URL_, title: 'Pricing', referrer: '', tags: ['pricing'] },
  download: { type: 'download', url: URL_, href: 'https://acme.test/guide.pdf', tags: ['whitepaper'] },
  form_step: { type: 'form_step', url: URL_, form: 'demo-request', step: 2, stepName: 'company', steps: 3 },
  form_submit: { type: 'form_submit', url: URL_, form: 'demo-request' },
  thank_you: { type: 'thank_you', url: URL_, conversion: 'demo-request' },
  action: { type: 'action', url: URL_, name: 'book-call' },
  identify: { type: 'identify', email: 'jane@acme.test', traits: { name: 'Jane', company: 'Acme' } },
  track: { type: 'track', name: 'webinar_registered', props: { seats: 3, paid: true } },
});

const WRONG_VALUES: [string, unknown][] = [
  ['a number', 42],
  ['null', null],
  ['an object', { nested: true }],
  ['an array', ['x']],
  ['a boolean', false],
];

const OVERSIZED: [string, string, number][] = [
  ['page_view', 'title', 513],
  ['page_view', 'url', 2049],
  ['page_view', 'referrer', 2049],
  ['download', 'href', 2049],
  ['form_step', 'form', 129],
  ['form_step', 'stepName', 129],
  ['thank_you', 'conversion', 129],
  ['action', 'name', 129],
  ['track', 'name', 129],
  ['identify', 'email', 255],
];

const utf8 = (text: string) => new TextEncoder().encode(text);
/** Replaces the marker `@@` of a JSON text with raw bytes. */
function withBytes(json: string, bytes: number[]): Uint8Array {
  const [before = '', after = ''] = json.split('@@');
  return new Uint8Array([...utf8(before), ...bytes, ...utf8(after)]);
}
const streamOf = (chunk: Uint8Array, times: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < times; i++) controller.enqueue(chunk);
      controller.close();
    },
  });

export function buildBadInputs(make: EnvelopeMaker): BadInput[] {
  const inputs: BadInput[] = [];
  const add = (input: BadInput) => inputs.push(input);
  const json = (name: string, value: unknown, status?: number) =>
    add({ name, body: JSON.stringify(value), ...(status ? { status } : {}) });
  const event = (type: string, changes: Json = {}) => ({
    id: randomUUID(),
    ts: new Date().toISOString(),
    ...validEvents()[type],
    ...changes,
  });

  // Not JSON, or JSON of the wrong shape.
  for (const [name, body] of [
    ['an empty body', ''],
    ['a truncated object', '{"site":'],
    ['single quotes', "{'site':'pk'}"],
    ['a trailing comma', '{"a":1,}'],
    ['a comment', '{/* hi */}'],
    ['NaN', '{"a":NaN}'],
    ['bare words', 'hello'],
    ['two documents', '{}{}'],
    ['an unterminated string', '{"a":"b'],
    ['a raw control character', '{"a":"\u0001"}'],
  ] as const) {
    add({ name: `invalid JSON: ${name}`, body, status: 400 });
  }
  for (const [name, value] of [
    ['null', null],
    ['true', true],
    ['a number', 0],
    ['a string', 'pk_x'],
    ['an array', [make([event('page_view')])]],
    ['an empty object', {}],
  ] as const) {
    json(`a JSON ${name} instead of a batch`, value, 400);
  }

  // Media types.
  const valid = JSON.stringify(make([event('page_view')]));
  for (const type of [
    null,
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'text/html',
    'application/xml',
    'image/png',
    'application/jsonx',
    'text/plainx',
  ]) {
    add({ name: `content type ${type ?? 'missing'}`, contentType: type, body: valid, status: 415 });
  }

  // Sizes.
  add({ name: 'a body of 64 KiB + 1', body: `{"a":"${'x'.repeat(64 * 1024)}"}`, status: 413 });
  add({ name: 'a 1 MiB body', body: 'x'.repeat(1024 * 1024), status: 413 });
  add({ name: 'a streamed body without length', body: streamOf(utf8('x'.repeat(8192)), 20), status: 413 });
  for (const [type, field, length] of OVERSIZED) {
    const value =
      field === 'email' ? `${'a'.repeat(length)}@acme.test` : `https://acme.test/${'a'.repeat(length)}`;
    const text = field.endsWith('rl') || field === 'href' || field === 'referrer' || field === 'email';
    json(
      `an oversized ${type}.${field}`,
      make([event(type, { [field]: text ? value : 'a'.repeat(length) })]),
    );
  }
  json('an oversized prop value', make([event('track', { props: { big: 'x'.repeat(1025) } })]));
  json('an oversized trait value', make([event('identify', { traits: { big: 'x'.repeat(513) } })]));
  json('an oversized context string', make([event('page_view')], { context: { locale: 'x'.repeat(129) } }));
  json('an oversized site key', make([event('page_view')], { site: `pk_${'x'.repeat(200)}` }), 400);
  json('an oversized anonymous id', make([event('page_view')], { anonymousId: 'a1'.repeat(65) }), 400);

  // Deep nesting.
  add({ name: 'arrays nested 20 000 deep', body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, status: 400 });
  add({
    name: 'objects nested 6 000 deep',
    body: `${'{"a":'.repeat(6_000)}1${'}'.repeat(6_000)}`,
    status: 400,
  });
  const deep = (levels: number): unknown => (levels === 0 ? 1 : { a: deep(levels - 1) });
  json('a prop nested 1 000 deep', make([event('track', { props: { a: deep(1_000) } })]));
  json(
    'a context nested 1 000 deep (unknown keys are dropped)',
    make([event('page_view')], { context: deep(1_000) }),
  );
  json('a utm nested 1 000 deep', make([event('page_view')], { context: { utm: deep(1_000) } }));
  json('traits nested 500 deep', make([event('identify', { traits: deep(500) })]));

  // Huge arrays.
  json('a batch of 101 events', make(Array.from({ length: 101 }, () => event('page_view'))), 400);
  add({
    name: 'an events array of 20 000 zeros',
    body: JSON.stringify(make([])).replace('"events":[]', `"events":[${'0,'.repeat(20_000)}0]`),
    status: 400,
  });
  json('21 tags', make([event('page_view', { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })]));
  json(
    '51 traits',
    make([
      event('identify', { traits: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, i])) }),
    ]),
  );
  json(
    '51 props',
    make([event('track', { props: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) })]),
  );
  json('a tags array of 5 000 items', make([event('page_view', { tags: Array(5_000).fill('x') })]));

  // Invalid UTF-8 and lone surrogates.
  const marked = (type: string, field: string) => JSON.stringify(make([event(type, { [field]: 'A@@B' })]));
  for (const [name, bytes] of [
    ['0xFF', [0xff]],
    ['a lone continuation byte', [0x80]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['a truncated 3-byte sequence', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ] as const) {
    add({
      name: `invalid UTF-8 (${name}) in a title`,
      body: withBytes(marked('page_view', 'title'), [...bytes]),
    });
  }
  add({
    name: 'invalid UTF-8 in the site key',
    body: withBytes(JSON.stringify(make([event('page_view')], { site: 'pk_@@' })), [0xff]),
    status: 401,
  });
  add({
    name: 'invalid UTF-8 in a prop key',
    body: withBytes(JSON.stringify(make([event('track', { props: { 'k@@': 1 } })])), [0xfe]),
  });
  for (const [type, field] of [
    ['page_view', 'title'],
    ['page_view', 'url'],
    ['action', 'name'],
    ['identify', 'email'],
    ['form_step', 'form'],
  ] as const) {
    add({
      name: `a lone high surrogate in ${type}.${field}`,
      body: marked(type, field).replace('@@', '\\ud800'),
    });
    add({
      name: `a lone low surrogate in ${type}.${field}`,
      body: marked(type, field).replace('@@', '\\udfff'),
    });
  }
  add({
    name: 'a lone surrogate in a prop key',
    body: JSON.stringify(make([event('track', { props: { 'k@@': 1 } })])).replace('@@', '\\ud83d'),
  });
  add({
    name: 'a lone surrogate in a trait key',
    body: JSON.stringify(make([event('identify', { traits: { 'k@@': 'v' } })])).replace('@@', '\\udc00'),
  });
  add({
    name: 'a lone surrogate in the utm campaign',
    body: JSON.stringify(make([event('page_view')], { context: { utm: { campaign: 'q@@' } } })).replace(
      '@@',
      '\\ud800',
    ),
  });

  // NUL characters.
  add({
    name: 'an escaped NUL in a title',
    body: marked('page_view', 'title').replace('@@', '\\u0000'),
    status: 400,
  });
  add({ name: 'a raw NUL in a title', body: withBytes(marked('page_view', 'title'), [0]), status: 400 });
  add({
    name: 'an escaped NUL in the anonymous id',
    body: JSON.stringify(make([event('page_view')], { anonymousId: 'dev@@0001' })).replace('@@', '\\u0000'),
    status: 400,
  });
  add({
    name: 'an escaped NUL in a prop key',
    body: JSON.stringify(make([event('track', { props: { 'k@@': 1 } })])).replace('@@', '\\u0000'),
    status: 400,
  });

  // Wrong types in every field of the envelope and of every event type.
  for (const field of ['site', 'anonymousId', 'sessionId', 'sentAt', 'context', 'events']) {
    for (const [what, value] of WRONG_VALUES) {
      if (field === 'context' && (what === 'null' || what === 'an object')) continue;
      // `events: ["x"]` is a valid envelope whose one event is rejected (200).
      const status = field === 'events' && what === 'an array' ? undefined : 400;
      json(`envelope.${field} as ${what}`, make([event('page_view')], { [field]: value }), status);
    }
  }
  for (const [type, fields] of Object.entries(validEvents())) {
    for (const field of ['id', 'ts', 'type', ...Object.keys(fields).filter((f) => f !== 'type')]) {
      for (const [what, value] of WRONG_VALUES.slice(0, 3)) {
        json(`${type}.${field} as ${what}`, make([event(type, { [field]: value }), event('page_view')]));
      }
    }
  }

  // Times.
  for (const [name, ts] of [
    ['in the year 9999', '9999-12-31T23:59:59.999Z'],
    ['in the year 1', '0001-01-01T00:00:00Z'],
    ['on 31 February', '2026-02-31T00:00:00Z'],
    ['without a zone', '2026-11-23T10:00:00'],
    ['date-only', '2026-11-23'],
    ['in month 13', '2026-13-01T00:00:00Z'],
    ['at hour 25', '2026-11-23T25:00:00Z'],
    ['as words', 'yesterday'],
  ] as const) {
    json(`an event time ${name}`, make([event('page_view', { ts })]));
    json(`a sentAt ${name}`, make([event('page_view')], { sentAt: ts }));
  }
  json('an event time as epoch milliseconds', make([event('page_view', { ts: Date.now() })]));

  // Junk ids.
  for (const id of [
    'null',
    'undefined',
    '0',
    'anonymous',
    '[object Object]',
    'aaaaaaaa',
    'short',
    'has space 1',
    'dév-ice-0001',
  ]) {
    json(`the anonymous id ${JSON.stringify(id)}`, make([event('page_view')], { anonymousId: id }), 400);
  }
  json('the session id "none"', make([event('page_view')], { sessionId: 'none' }), 400);
  for (const id of [
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    'not-a-uuid',
    '',
    '6f1c3a52-2b7e-4c1e-9a51-0d6f2f8b9a1',
    '6f1c3a52-2b7e-4c1e-9a51-0d6f2f8b9a11-extra',
  ]) {
    json(`the event id ${JSON.stringify(id)}`, make([event('page_view', { id }), event('page_view')]));
  }
  const repeated = randomUUID();
  json(
    'one event id twice in a batch',
    make([event('page_view', { id: repeated }), event('action', { id: repeated })]),
  );

  // Emails.
  for (const email of [
    '',
    'jane',
    'jane@acme',
    '@acme.test',
    'jane@@acme.test',
    'jane doe@acme.test',
    '<jane@acme.test>',
    'jane@acme.test\r\nBcc: x@evil.test',
    'jane@-acme.test',
    'jane@acme..test',
    "jane@acme.test'; drop table leads; --",
    'jane\u0007@acme.test',
  ]) {
    json(`the email ${JSON.stringify(email)}`, make([event('identify', { email })]));
  }

  // Unknown and prototype-polluting keys.
  json('unknown envelope keys', make([event('page_view')], { admin: true, siteId: 'site_x' }));
  json('unknown event keys', make([event('page_view', { leadId: 'lead_x', siteId: 'site_x', score: 1e9 })]));
  json('an unknown event type', make([event('page_view', { type: 'purchase' })]));
  json('an event without type', make([{ id: randomUUID(), ts: new Date().toISOString(), url: URL_ }]));
  const proto = (where: string, body: string) => add({ name: `__proto__ ${where}`, body });
  const envelopeText = JSON.stringify(make([event('page_view')]));
  proto('in the envelope', envelopeText.replace('{', '{"__proto__":{"polluted":true},'));
  proto(
    'in the context',
    JSON.stringify(make([event('page_view')], { context: {} })).replace(
      '"context":{',
      '"context":{"__proto__":{"polluted":true}',
    ),
  );
  proto(
    'in an event',
    JSON.stringify(make([event('page_view')])).replace(
      '"events":[{',
      '"events":[{"__proto__":{"type":"identify","email":"x@evil.test"},',
    ),
  );
  proto(
    'in traits',
    JSON.stringify(make([event('identify', { traits: {} })])).replace(
      '"traits":{}',
      '"traits":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    ),
  );
  proto(
    'in props',
    JSON.stringify(make([event('track', { props: {} })])).replace(
      '"props":{}',
      '"props":{"__proto__":"x","constructor":"y","prototype":"z"}',
    ),
  );
  proto(
    'as the email trait',
    JSON.stringify(make([event('identify', { traits: {} })])).replace(
      '"traits":{}',
      '"traits":{"__proto__":"admin@evil.test"}',
    ),
  );
  json('a constructor key in the envelope', {
    ...make([event('page_view')]),
    constructor: { prototype: { polluted: true } },
  });

  // Keys and methods.
  json('a secret key from a browser', make([event('page_view')], { site: 'sk_stolen0000000000000000' }), 403);
  json('an unknown public key', make([event('page_view')], { site: 'pk_unknown000000000000000' }), 401);
  json('an empty site key', make([event('page_view')], { site: '' }), 400);
  json('a SQL-ish site key', make([event('page_view')], { site: "pk_' or '1'='1" }), 401);
  add({ name: 'a foreign origin', body: valid, headers: { origin: 'https://evil.test' }, status: 403 });
  add({ name: 'an origin of "null"', body: valid, headers: { origin: 'null' }, status: 403 });
  return inputs;
}
