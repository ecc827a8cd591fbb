import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, cleanToken } from './clean-text.ts';
import { eventSchema } from './event-schemas.ts';
import { EVENT_TYPES, type EventType, LIMITS } from './limits.ts';
import { validateBatch } from './validate-batch.ts';

/*
 * Arbitraries that mirror the v1 wire format as DESIGN.md and LIMITS describe it — written from the
 * contract, not from the zod schemas, so a schema that drifts from the contract fails here.
 */

type RawEvent = Record<string, unknown>;

/** Strings of `min`–`max` UTF-16 units, often at the limits, with non-ASCII and astral characters. */
const text = (min: number, max: number) =>
  fc
    .oneof(
      { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.min(max, 40) }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: min, maxLength: max }) },
      { weight: 1, arbitrary: fc.string({ minLength: max, maxLength: max }) },
    )
    .filter((value) => value.length >= min && value.length <= max);

const uuid = fc.uuid().filter((value) => value !== '00000000-0000-0000-0000-000000000000');

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ISO 8601 date-times, UTC (`Z`, as `toISOString`) or with an offset (`+05:30`). */
const timestamp = fc
  .record({
    date: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T23:59:59Z'),
      noInvalidDate: true,
    }),
    offsetMinutes: fc.option(fc.integer({ min: -12 * 60, max: 14 * 60 }), { nil: undefined }),
    fraction: fc.constantFrom('', '.5', '.123', '.123456'),
  })
  .map(({ date, offsetMinutes, fraction }) => {
    if (offsetMinutes === undefined) return date.toISOString();
    const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    return `${local}${fraction}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  });

const absoluteUrl = fc
  .webUrl({ withQueryParameters: true, withFragments: true })
  .filter((value) => value.length <= LIMITS.maxUrlLength);

const tag = fc.stringMatching(/^[A-Za-z0-9_:.-]{1,64}$/);
const tags = fc.array(tag, { maxLength: LIMITS.maxTagsPerEvent });

/** Names must keep a character once control characters are cleaned out. */
const name = text(1, LIMITS.maxNameLength).filter((value) => cleanText(value).length > 0);

/** Record keys: any 1–128 characters except `__proto__`, which is tested on its own. */
const recordKey = name.filter((key) => key !== '__proto__');

const scalar = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength: Math.min(maxLength, 40) }),
    fc.string({ unit: 'binary', maxLength: Math.min(maxLength, 40) }),
    fc.string({ minLength: maxLength, maxLength }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
  );

const record = (maxKeys: number, maxValueLength: number) =>
  fc.dictionary(recordKey, scalar(maxValueLength), { maxKeys, noNullPrototype: true });

const dnsLabel = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/);
const localPart = fc.stringMatching(/^[A-Za-z0-9._%+'!#$&*=?^`{|}~-]{1,40}$/);

/** Work emails as visitors type them: any case, sometimes with stray whitespace around. */
const email = fc
  .record({
    local: localPart,
    labels: fc.array(dnsLabel, { minLength: 2, maxLength: 4 }),
    upper: fc.boolean(),
    before: fc.constantFrom('', ' ', '  ', '\t'),
    after: fc.constantFrom('', ' ', '\n'),
  })
  .map(({ local, labels, upper, before, after }) => {
    const address = `${local}@${labels.join('.')}`;
    return `${before}${upper ? address.toUpperCase() : address}${after}`;
  })
  .filter((value) => value.length <= LIMITS.maxEmailLength);

/** Builds an object arbitrary where some keys may be absent (never present as undefined). */
function event(
  required: Record<string, fc.Arbitrary<unknown>>,
  optionals: Record<string, fc.Arbitrary<unknown>> = {},
) {
  return fc.record(
    { ...required, ...optionals },
    { requiredKeys: Object.keys(required) },
  ) as fc.Arbitrary<RawEvent>;
}

const base = { id: uuid, ts: timestamp };
const onPage = { ...base, url: absoluteUrl };

const formStep = fc
  .record({
    step: fc.integer({ min: 1, max: LIMITS.maxFormSteps }),
    extra: fc.option(fc.integer({ min: 0, max: LIMITS.maxFormSteps }), { nil: undefined }),
  })
  .chain(({ step, extra }) => {
    const steps = extra === undefined ? {} : { steps: Math.min(LIMITS.maxFormSteps, step + extra) };
    return event(
      { ...onPage, type: fc.constant('form_step'), form: name, step: fc.constant(step) },
      { stepName: name },
    ).map((value) => ({ ...value, ...steps }));
  });

const eventArbitraries: Record<EventType, fc.Arbitrary<RawEvent>> = {
  page_view: event(
    { ...onPage, type: fc.constant('page_view') },
    {
      title: text(0, LIMITS.maxTitleLength),
      referrer: fc.oneof(fc.constant(''), absoluteUrl),
      tags,
    },
  ),
  download: event({ ...onPage, type: fc.constant('download'), href: absoluteUrl }, { tags }),
  form_step: formStep,
  form_submit: event({ ...onPage, type: fc.constant('form_submit'), form: name }),
  thank_you: event({ ...onPage, type: fc.constant('thank_you'), conversion: name }),
  action: event({ ...onPage, type: fc.constant('action'), name }),
  identify: event(
    { ...base, type: fc.constant('identify'), email },
    { url: absoluteUrl, traits: record(LIMITS.maxTraits, LIMITS.maxTraitValueLength) },
  ),
  track: event(
    { ...base, type: fc.constant('track'), name },
    { url: absoluteUrl, props: record(LIMITS.maxProps, LIMITS.maxPropValueLength) },
  ),
};

const anyEvent = fc.oneof(...EVENT_TYPES.map((type) => eventArbitraries[type]));

const clientId = fc
  .oneof(uuid, fc.stringMatching(/^[A-Za-z0-9._:-]{8,128}$/))
  .filter((id) => !/^(.)\1*$/.test(id.toLowerCase()));

const envelope = fc.record({
  site: fc.stringMatching(/^pk_[A-Za-z0-9]{1,40}$/),
  anonymousId: clientId,
  sessionId: clientId,
  sentAt: timestamp,
});

const TOKEN_FIELDS = new Set(['url', 'href', 'referrer']);
const RECORD_FIELDS = new Set(['traits', 'props']);
const UNTOUCHED_FIELDS = new Set(['id', 'ts', 'type', 'tags']);

const cleanRecord = (record: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(record)
      .map(([key, value]) => [cleanText(key), typeof value === 'string' ? cleanText(value) : value] as const)
      .filter(([key]) => key !== '__proto__'),
  );

/**
 * What the contract stores: emails trimmed and lower-cased, URLs without control characters, and
 * free text (titles, names, record keys and values) with line breaks as spaces and no other controls.
 */
function expected(raw: RawEvent): RawEvent {
  return Object.fromEntries(
    Object.entries(raw).map(([field, value]) => {
      if (field === 'email' && typeof value === 'string') return [field, value.trim().toLowerCase()];
      if (UNTOUCHED_FIELDS.has(field) || typeof value === 'number') return [field, value];
      if (RECORD_FIELDS.has(field)) return [field, cleanRecord(value as Record<string, unknown>)];
      return [field, TOKEN_FIELDS.has(field) ? cleanToken(value as string) : cleanText(value as string)];
    }),
  );
}

describe('property: every event the contract allows validates', () => {
  it.each(EVENT_TYPES)(
    '%s events validate and come out as stored (emails normalized, controls cleaned)',
    (type) => {
      fc.assert(
        fc.property(eventArbitraries[type], (raw) => {
          const result = eventSchema.safeParse(raw);
          if (!result.success) throw new Error(`refused ${JSON.stringify(raw)}: ${result.error.message}`);
          expect(result.data).toEqual(expected(raw));
        }),
        { numRuns: 200 },
      );
    },
  );

  it('batches of up to 100 valid events are accepted whole', () => {
    fc.assert(
      fc.property(
        envelope,
        fc
          .array(anyEvent, { minLength: 1, maxLength: LIMITS.maxEventsPerBatch })
          .map((events) => events.map((raw, index) => ({ ...raw, id: uuidFor(index) }))),
        (head, events) => {
          const result = validateBatch({ ...head, events });
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.rejected).toEqual([]);
          expect(result.events.map((valid) => valid.event)).toEqual(events.map(expected));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('a batch mixing valid and invalid events keeps exactly the valid ones, in order', () => {
    const slot = fc.oneof(
      anyEvent.map((raw) => ({ raw, valid: true })),
      anyEvent.map((raw) => ({ raw: { ...raw, ts: 'not a time' }, valid: false })),
      fc.constantFrom(null, 'event', 42, {}).map((raw) => ({ raw: raw as unknown, valid: false })),
    );
    fc.assert(
      fc.property(envelope, fc.array(slot, { minLength: 1, maxLength: 30 }), (head, slots) => {
        const events = slots.map(({ raw }, index) =>
          raw && typeof raw === 'object' && 'id' in raw ? { ...raw, id: uuidFor(index) } : raw,
        );
        const result = validateBatch({ ...head, events });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        const validIndexes = slots.flatMap(({ valid }, index) => (valid ? [index] : []));
        const invalidIndexes = slots.flatMap(({ valid }, index) => (valid ? [] : [index]));
        expect(result.events.map((valid) => valid.index)).toEqual(validIndexes);
        expect(result.rejected.map((rejected) => rejected.index)).toEqual(invalidIndexes);
        for (const rejected of result.rejected)
          expect(rejected.message).toMatch(new RegExp(`^events\\.${rejected.index}`));
      }),
      { numRuns: 100 },
    );
  });
});

/*
 * Control characters: whatever a sender puts into an event's strings (record keys included) or the
 * envelope's context, nothing stored holds a C0 or C1 control character.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const control = fc.oneof(
  fc.constantFrom('\u0000', '\t', '\n', '\r', '\r\n', '\u000b', '\u001b', '\u007f', '\u0085', '\u009b'),
  fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code < 0x20 ? code : code | 0x80)),
);
/** Where to insert which control characters: each string gets all of them, at positions modulo its length. */
const sprinkles = fc.array(fc.tuple(fc.nat(), control), { minLength: 1, maxLength: 6 });
type Sprinkles = [number, string][];

function sprinkle(value: string, marks: Sprinkles): string {
  return marks.reduce((out, [at, mark]) => {
    const index = at % (out.length + 1);
    return `${out.slice(0, index)}${mark}${out.slice(index)}`;
  }, value);
}

/** Sprinkles every string of an event except its id, time, type and email, in record keys too. */
function dirty(value: unknown, marks: Sprinkles, inRecord = false): unknown {
  if (typeof value === 'string') return sprinkle(value, marks);
  if (Array.isArray(value)) return value.map((item) => dirty(item, marks));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) =>
      inRecord
        ? [sprinkle(key, marks), dirty(item, marks)]
        : [
            key,
            ['id', 'ts', 'type', 'email'].includes(key) ? item : dirty(item, marks, RECORD_FIELDS.has(key)),
          ],
    ),
  );
}

function storedStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(storedStrings);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [key, ...storedStrings(item)]);
}

const context = fc.record(
  {
    locale: fc.constantFrom('en-GB', 'de'),
    timezone: fc.constantFrom('Europe/London', 'Asia/Tokyo'),
    utm: fc.record({ source: text(0, 40), campaign: text(0, 40) }, { requiredKeys: [] }),
  },
  { requiredKeys: [] },
);

describe('property: no accepted event stores a control character', () => {
  it('holds for events and context with control characters anywhere in their strings', () => {
    let accepted = 0;
    fc.assert(
      fc.property(
        envelope,
        context,
        fc.array(anyEvent, { minLength: 1, maxLength: 10 }),
        sprinkles,
        (head, ctx, raw, marks) => {
          const events = raw.map((event, index) => ({
            ...(dirty(event, marks) as RawEvent),
            id: uuidFor(index),
          }));
          const result = validateBatch({ ...head, context: dirty(ctx, marks), events });
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          accepted += result.events.length;
          const stored = [
            ...storedStrings(result.envelope.context),
            ...result.events.flatMap(({ event }) => storedStrings(event)),
          ];
          for (const value of stored) expect(value, JSON.stringify(value)).not.toMatch(CONTROL_CHARACTER);
        },
      ),
      { numRuns: 200 },
    );
    // Cleaning, not refusing: most sprinkled events are still accepted (the rest outgrew a length limit).
    expect(accepted).toBeGreaterThan(200);
  });
});

/*
 * Mutations: each changes one field of a valid event and says which path the refusal must name.
 */

type Mutation = { field: string; label: string; apply: (event: RawEvent) => RawEvent; path?: string };

const set = (field: string, label: string, value: unknown, path?: string): Mutation => ({
  field,
  label,
  apply: (event) => ({ ...event, [field]: value }),
  ...(path === undefined ? {} : { path }),
});
const remove = (field: string): Mutation => ({
  field,
  label: 'removed',
  apply: ({ [field]: _removed, ...rest }) => rest,
});
const tooLongUrl = `https://acme.test/${'p'.repeat(LIMITS.maxUrlLength)}`;

const common: Mutation[] = [
  remove('id'),
  set('id', 'wrong type', 42),
  set('id', 'not a uuid', 'evt-1'),
  remove('ts'),
  set('ts', 'wrong type', Date.UTC(2026, 10, 23)),
  set('ts', 'no offset', '2026-11-23T10:00:05'),
  set('type', 'unknown', 'page_visit'),
];
const pageUrl: Mutation[] = [
  remove('url'),
  set('url', 'wrong type', { href: 'https://acme.test/' }),
  set('url', 'too long', tooLongUrl),
  set('url', 'relative', '/pricing'),
];
const optionalUrl: Mutation[] = [set('url', 'wrong type', 1), set('url', 'too long', tooLongUrl)];
const nameField = (field: string): Mutation[] => [
  remove(field),
  set(field, 'wrong type', ['demo']),
  set(field, 'empty', ''),
  set(field, 'too long', 'n'.repeat(LIMITS.maxNameLength + 1)),
];
const tagMutations: Mutation[] = [
  set('tags', 'wrong type', 'pricing'),
  set(
    'tags',
    'too many',
    Array.from({ length: LIMITS.maxTagsPerEvent + 1 }, (_, i) => `t${i}`),
  ),
  set('tags', 'tag too long', ['t'.repeat(LIMITS.maxTagLength + 1)], 'tags.0'),
  set('tags', 'tag with a space', ['high intent'], 'tags.0'),
];
const recordMutations = (field: string, maxKeys: number, maxValue: number): Mutation[] => [
  set(field, 'wrong type', 'company=Acme'),
  set(field, 'too many', Object.fromEntries(Array.from({ length: maxKeys + 1 }, (_, i) => [`k${i}`, i]))),
  set(field, 'value too long', { company: 'c'.repeat(maxValue + 1) }, `${field}.company`),
  set(field, 'nested value', { company: { name: 'Acme' } }, `${field}.company`),
];

const mutations: Record<EventType, Mutation[]> = {
  page_view: [
    ...common,
    ...pageUrl,
    set('title', 'wrong type', 7),
    set('title', 'too long', 't'.repeat(LIMITS.maxTitleLength + 1)),
    set('referrer', 'wrong type', false),
    set('referrer', 'too long', tooLongUrl),
    ...tagMutations,
  ],
  download: [
    ...common,
    ...pageUrl,
    remove('href'),
    set('href', 'wrong type', 1),
    set('href', 'too long', tooLongUrl),
    ...tagMutations,
  ],
  form_step: [
    ...common,
    ...pageUrl,
    ...nameField('form'),
    remove('step'),
    set('step', 'wrong type', '2'),
    set('step', 'not an integer', 1.5),
    set('step', 'zero', 0),
    set('stepName', 'wrong type', 2),
    set('stepName', 'too long', 's'.repeat(LIMITS.maxNameLength + 1)),
    set('steps', 'wrong type', '3'),
    set('steps', 'too many', LIMITS.maxFormSteps + 1),
  ],
  form_submit: [...common, ...pageUrl, ...nameField('form')],
  thank_you: [...common, ...pageUrl, ...nameField('conversion')],
  action: [...common, ...pageUrl, ...nameField('name')],
  identify: [
    ...common,
    ...optionalUrl,
    remove('email'),
    set('email', 'wrong type', ['jane@acme.test']),
    set('email', 'too long', `${'j'.repeat(LIMITS.maxEmailLength)}@acme.test`),
    set('email', 'invalid', 'jane@acme'),
    ...recordMutations('traits', LIMITS.maxTraits, LIMITS.maxTraitValueLength),
  ],
  track: [
    ...common,
    ...optionalUrl,
    ...nameField('name'),
    ...recordMutations('props', LIMITS.maxProps, LIMITS.maxPropValueLength),
  ],
};

describe('property: a valid event mutated at one field is refused at exactly that field', () => {
  it.each(EVENT_TYPES)('%s', (type) => {
    fc.assert(
      fc.property(
        eventArbitraries[type],
        fc.constantFrom(...mutations[type]),
        fc.nat({ max: 9 }),
        (raw, mutation, index) => {
          const mutated = mutation.apply(raw);
          const result = eventSchema.safeParse(mutated);
          expect(result.success, `${mutation.field} ${mutation.label}`).toBe(false);
          if (result.success) return;
          const paths = new Set(result.error.issues.map((issue) => issue.path.map(String).join('.')));
          expect([...paths], `${mutation.field} ${mutation.label}`).toEqual([
            mutation.path ?? mutation.field,
          ]);

          // The same refusal through a batch: the event is listed with its index and the field's path.
          const events = Array.from({ length: index + 1 }, (_, i): unknown =>
            i === index ? mutated : { ...raw, id: uuidFor(i) },
          );
          const batch = validateBatch({
            site: 'pk_live_acme',
            anonymousId: 'V1StGXR8_Z5jdHi6B-myT',
            sessionId: 'sess_k3J9xQ2m',
            sentAt: '2026-11-23T10:00:06.000Z',
            events,
          });
          expect(batch.ok).toBe(true);
          if (!batch.ok) return;
          expect(batch.events.map((valid) => valid.index)).toEqual(
            Array.from({ length: index }, (_, i) => i),
          );
          expect(batch.rejected).toHaveLength(1);
          expect(batch.rejected[0]?.index).toBe(index);
          expect(
            batch.rejected[0]?.message.startsWith(`events.${index}.${mutation.path ?? mutation.field}: `),
          ).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

/** Distinct, valid v4 uuids by position, so generated batches never repeat an id by chance. */
function uuidFor(index: number): string {
  return `6f1c2a4e-5b6d-4e7f-8a9b-${index.toString(16).padStart(12, '0')}`;
}
