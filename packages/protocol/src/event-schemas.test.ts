import { describe, expect, it } from 'vitest';
import { eventSchema } from './event-schemas.ts';
import { EVENT_TYPES, LIMITS } from './limits.ts';

const id = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const ts = '2026-11-23T10:00:05.000Z';
const url = 'https://acme.test/pricing';

/** One valid event of each type, as the SDK writes them (DESIGN.md, Wire protocol). */
const examples = {
  page_view: { id, type: 'page_view', ts, url, title: 'Pricing', referrer: '', tags: ['pricing'] },
  download: {
    id,
    type: 'download',
    ts,
    url,
    href: 'https://acme.test/files/guide.pdf',
    tags: ['whitepaper'],
  },
  form_step: {
    id,
    type: 'form_step',
    ts,
    url,
    form: 'demo-request',
    step: 2,
    stepName: 'company',
    steps: 3,
  },
  form_submit: { id, type: 'form_submit', ts, url, form: 'demo-request' },
  thank_you: { id, type: 'thank_you', ts, url, conversion: 'demo-request' },
  action: { id, type: 'action', ts, url, name: 'book-call' },
  identify: {
    id,
    type: 'identify',
    ts,
    email: 'jane@acme.test',
    traits: { name: 'Jane Doe', company: 'Acme', title: 'VP Marketing' },
  },
  track: { id, type: 'track', ts, name: 'webinar_registered', props: { webinar: 'q4-roi', seats: 2 } },
} satisfies Record<(typeof EVENT_TYPES)[number], Record<string, unknown>>;

type Example = keyof typeof examples;

function parse(event: unknown) {
  return eventSchema.safeParse(event);
}

/** The dotted paths of every issue, e.g. `['tags.0']`. */
function issuePaths(event: unknown): string[] {
  const result = parse(event);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.path.map(String).join('.')))];
}

function withField(type: Example, field: string, value: unknown): Record<string, unknown> {
  return { ...examples[type], [field]: value };
}

describe('eventSchema: the event types of DESIGN.md', () => {
  it.each(EVENT_TYPES)('accepts the documented %s event unchanged', (type) => {
    const result = parse(examples[type]);
    expect(result.success).toBe(true);
    expect(result.data).toEqual(examples[type]);
  });

  it('accepts the minimal form of each event', () => {
    expect(parse({ id, type: 'page_view', ts, url }).success).toBe(true);
    expect(parse({ id, type: 'download', ts, url, href: url }).success).toBe(true);
    expect(parse({ id, type: 'form_step', ts, url, form: 'f', step: 1 }).success).toBe(true);
    expect(parse({ id, type: 'identify', ts, email: 'jane@acme.test' }).success).toBe(true);
    expect(parse({ id, type: 'track', ts, name: 'x' }).success).toBe(true);
  });

  it.each(['click', 'pageview', 'PAGE_VIEW', '', 42, null])(
    'refuses the unknown type %j at path type',
    (type) => {
      expect(issuePaths({ ...examples.action, type })).toEqual(['type']);
    },
  );

  it('refuses an event without a type at path type', () => {
    const { type: _type, ...untyped } = examples.action;
    expect(issuePaths(untyped)).toEqual(['type']);
  });

  it.each([null, 'page_view', 7, [], true])('refuses a non-object event %j', (event) => {
    expect(parse(event).success).toBe(false);
  });

  it('drops unknown fields instead of passing them on', () => {
    const result = parse({ ...examples.action, secret: 'password123', value: 'hunter2' });
    expect(result.success).toBe(true);
    expect(result.data).not.toHaveProperty('secret');
    expect(result.data).not.toHaveProperty('value');
  });

  it('refuses a form step beyond the announced number of steps, at path step', () => {
    expect(issuePaths(withField('form_step', 'step', 4))).toEqual(['step']);
    expect(parse(withField('form_step', 'step', 3)).success).toBe(true);
  });

  it.each([0, -1, 1.5, '2'])('refuses the form step %j', (step) => {
    expect(issuePaths(withField('form_step', 'step', step))).toEqual(['step']);
  });
});

describe('eventSchema: ids', () => {
  it.each([
    '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    '01890a5d-ac96-774b-bcce-b302099a8057', // v7, what crypto.randomUUID's successors produce
    '6ba7b810-9dad-11d1-80b4-00c04fd430c8', // v1
  ])('accepts the uuid %s', (uuid) => {
    expect(parse({ ...examples.action, id: uuid }).success).toBe(true);
  });

  it.each([
    '3f1c2a4e5b6d4e7f8a9b0c1d2e3f4a5b',
    '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5',
    '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5bb',
    '{3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b}',
    'g f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    'evt_1',
    '',
    12345,
  ])('refuses the id %j at path id', (bad) => {
    expect(issuePaths({ ...examples.action, id: bad })).toEqual(['id']);
  });

  it('refuses the nil uuid, which would make every event a duplicate of the first', () => {
    // The collector keeps one event per (site, id): a constant id from a broken SDK would silently
    // drop every event after the first. The same placeholder is already refused as a client id.
    expect(issuePaths({ ...examples.action, id: '00000000-0000-0000-0000-000000000000' })).toEqual(['id']);
  });
});

describe('eventSchema: timestamps', () => {
  it.each([
    '2026-11-23T10:00:05.000Z',
    '2026-11-23T10:00:05Z',
    '2026-11-23T10:00:05.123456Z',
    '2026-11-23T11:00:05+01:00',
    '2026-11-23T04:30:05-05:30',
    '2026-11-23T10:00:05.5+14:00',
    '2028-02-29T00:00:00Z',
  ])('accepts the ISO timestamp %s', (value) => {
    expect(parse({ ...examples.action, ts: value }).success).toBe(true);
  });

  it.each([
    '2026-11-23T10:00:05', // no offset: the visitor's local time is ambiguous
    '2026-11-23',
    '2026-11-23 10:00:05Z',
    '2026-02-30T10:00:05Z',
    '2027-02-29T10:00:05Z',
    '2026-13-01T10:00:05Z',
    '2026-11-23T25:00:05Z',
    'Mon, 23 Nov 2026 10:00:05 GMT',
    '1795428005000',
    1795428005000,
    '',
  ])('refuses %j at path ts', (value) => {
    expect(issuePaths({ ...examples.action, ts: value })).toEqual(['ts']);
  });
});

describe('eventSchema: urls', () => {
  it.each(['ftp://acme.test/file', 'javascript:alert(1)', '/pricing', '//acme.test/pricing', 'pricing', ''])(
    'refuses the url %j',
    (value) => {
      expect(issuePaths({ ...examples.action, url: value })).toEqual(['url']);
    },
  );

  it('accepts an empty referrer (direct visit) but not a relative one', () => {
    expect(parse(withField('page_view', 'referrer', '')).success).toBe(true);
    expect(issuePaths(withField('page_view', 'referrer', '/home'))).toEqual(['referrer']);
  });

  it('requires a page url on page events but not on identify and track', () => {
    for (const type of [
      'page_view',
      'download',
      'form_step',
      'form_submit',
      'thank_you',
      'action',
    ] as const) {
      const { url: _url, ...withoutUrl } = examples[type];
      expect(issuePaths(withoutUrl), type).toEqual(['url']);
    }
    expect(parse(examples.identify).success).toBe(true);
    expect(parse(examples.track).success).toBe(true);
  });
});

describe('eventSchema: limits', () => {
  const longUrl = (length: number) => {
    const prefix = 'https://acme.test/?q=';
    return prefix + 'a'.repeat(length - prefix.length);
  };

  it(`takes urls up to ${LIMITS.maxUrlLength} characters`, () => {
    expect(parse(withField('action', 'url', longUrl(LIMITS.maxUrlLength))).success).toBe(true);
    expect(issuePaths(withField('action', 'url', longUrl(LIMITS.maxUrlLength + 1)))).toEqual(['url']);
    expect(parse(withField('download', 'href', longUrl(LIMITS.maxUrlLength))).success).toBe(true);
    expect(issuePaths(withField('download', 'href', longUrl(LIMITS.maxUrlLength + 1)))).toEqual(['href']);
    expect(issuePaths(withField('page_view', 'referrer', longUrl(LIMITS.maxUrlLength + 1)))).toEqual([
      'referrer',
    ]);
  });

  it(`takes titles up to ${LIMITS.maxTitleLength} characters, empty included`, () => {
    expect(parse(withField('page_view', 'title', '')).success).toBe(true);
    expect(parse(withField('page_view', 'title', 't'.repeat(LIMITS.maxTitleLength))).success).toBe(true);
    expect(issuePaths(withField('page_view', 'title', 't'.repeat(LIMITS.maxTitleLength + 1)))).toEqual([
      'title',
    ]);
  });

  it.each([
    ['form_step', 'form'],
    ['form_step', 'stepName'],
    ['form_submit', 'form'],
    ['thank_you', 'conversion'],
    ['action', 'name'],
    ['track', 'name'],
  ] as const)(`takes a %s %s of 1 to ${LIMITS.maxNameLength} characters`, (type, field) => {
    expect(parse(withField(type, field, 'n')).success).toBe(true);
    expect(parse(withField(type, field, 'n'.repeat(LIMITS.maxNameLength))).success).toBe(true);
    expect(issuePaths(withField(type, field, ''))).toEqual([field]);
    expect(issuePaths(withField(type, field, 'n'.repeat(LIMITS.maxNameLength + 1)))).toEqual([field]);
  });

  it(`takes up to ${LIMITS.maxTagsPerEvent} tags of up to ${LIMITS.maxTagLength} characters`, () => {
    const many = (count: number) => Array.from({ length: count }, (_, i) => `tag-${i}`);
    expect(parse(withField('page_view', 'tags', [])).success).toBe(true);
    expect(parse(withField('page_view', 'tags', many(LIMITS.maxTagsPerEvent))).success).toBe(true);
    expect(issuePaths(withField('page_view', 'tags', many(LIMITS.maxTagsPerEvent + 1)))).toEqual(['tags']);
    expect(issuePaths(withField('download', 'tags', many(LIMITS.maxTagsPerEvent + 1)))).toEqual(['tags']);
    expect(parse(withField('page_view', 'tags', ['t'.repeat(LIMITS.maxTagLength)])).success).toBe(true);
    expect(issuePaths(withField('page_view', 'tags', ['ok', 't'.repeat(LIMITS.maxTagLength + 1)]))).toEqual([
      'tags.1',
    ]);
  });

  it.each(['high intent', '', 'pricing,high-intent', 'prix€', '<b>'])('refuses the tag %j', (tag) => {
    expect(issuePaths(withField('page_view', 'tags', ['pricing', tag]))).toEqual(['tags.1']);
  });

  it.each(['pricing', 'high-intent', 'utm:google', 'v1.2', 'Case_Study'])('accepts the tag %j', (tag) => {
    expect(parse(withField('page_view', 'tags', [tag])).success).toBe(true);
  });

  it(`takes form steps from 1 to ${LIMITS.maxFormSteps}`, () => {
    const step = (n: number, steps: number) => ({ ...examples.form_step, step: n, steps });
    expect(parse(step(LIMITS.maxFormSteps, LIMITS.maxFormSteps)).success).toBe(true);
    expect(issuePaths(step(1, LIMITS.maxFormSteps + 1))).toEqual(['steps']);
    expect(issuePaths({ ...examples.form_step, steps: undefined, step: LIMITS.maxFormSteps + 1 })).toEqual([
      'step',
    ]);
  });

  it(`takes up to ${LIMITS.maxTraits} traits with values up to ${LIMITS.maxTraitValueLength} characters`, () => {
    const traits = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`t${i}`, i]));
    expect(parse(withField('identify', 'traits', traits(LIMITS.maxTraits))).success).toBe(true);
    expect(issuePaths(withField('identify', 'traits', traits(LIMITS.maxTraits + 1)))).toEqual(['traits']);
    const long = (length: number) => ({ company: 'c'.repeat(length) });
    expect(parse(withField('identify', 'traits', long(LIMITS.maxTraitValueLength))).success).toBe(true);
    expect(issuePaths(withField('identify', 'traits', long(LIMITS.maxTraitValueLength + 1)))).toEqual([
      'traits.company',
    ]);
  });

  it(`takes up to ${LIMITS.maxProps} props with string values up to ${LIMITS.maxPropValueLength} characters`, () => {
    const props = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, true]));
    expect(parse(withField('track', 'props', props(LIMITS.maxProps))).success).toBe(true);
    expect(issuePaths(withField('track', 'props', props(LIMITS.maxProps + 1)))).toEqual(['props']);
    const long = (length: number) => ({ note: 'n'.repeat(length) });
    expect(parse(withField('track', 'props', long(LIMITS.maxPropValueLength))).success).toBe(true);
    expect(issuePaths(withField('track', 'props', long(LIMITS.maxPropValueLength + 1)))).toEqual([
      'props.note',
    ]);
  });

  it('takes only flat scalar trait and prop values', () => {
    expect(parse(withField('track', 'props', { a: 'x', b: 1.5, c: false, d: null })).success).toBe(true);
    expect(issuePaths(withField('track', 'props', { nested: { a: 1 } }))).toEqual(['props.nested']);
    expect(issuePaths(withField('track', 'props', { list: [1, 2] }))).toEqual(['props.list']);
    expect(issuePaths(withField('identify', 'traits', { nested: { a: 1 } }))).toEqual(['traits.nested']);
    // An empty key is named by the path of the key itself: `traits.` + ''.
    expect(issuePaths(withField('identify', 'traits', { '': 'empty key' }))).toEqual(['traits.']);
  });
});

describe('eventSchema: emails', () => {
  it('trims and lower-cases the email of identify', () => {
    const result = parse(withField('identify', 'email', '  Jane.Doe@ACME.test\t'));
    expect(result.success && result.data.type === 'identify' && result.data.email).toBe('jane.doe@acme.test');
  });

  it.each(['jane', 'jane@acme', 'jane doe@acme.test', '', '   ', 42, null])(
    'refuses %j at path email',
    (email) => {
      expect(issuePaths(withField('identify', 'email', email))).toEqual(['email']);
    },
  );

  it(`refuses emails longer than ${LIMITS.maxEmailLength} characters`, () => {
    const domain = '@acme.test';
    const fits = `${'j'.repeat(LIMITS.maxEmailLength - domain.length)}${domain}`;
    expect(parse(withField('identify', 'email', fits)).success).toBe(true);
    expect(issuePaths(withField('identify', 'email', `j${fits}`))).toEqual(['email']);
  });
});

describe('eventSchema: prototype pollution', () => {
  const hostile = (json: string) => JSON.parse(json) as unknown;

  it('never lets __proto__ or constructor keys of traits reach Object.prototype', () => {
    const event = hostile(
      `{"id":"${id}","type":"identify","ts":"${ts}","email":"jane@acme.test",` +
        `"traits":{"__proto__":"admin","constructor":"Acme","isAdmin":true}}`,
    );
    const result = parse(event);
    expect(result.success).toBe(true);
    if (!result.success || result.data.type !== 'identify') return;
    const traits = result.data.traits ?? {};
    expect(Object.getPrototypeOf(traits)).toBe(Object.prototype);
    expect(Object.hasOwn(traits, '__proto__')).toBe(false);
    expect(traits.constructor).toBe('Acme'); // an own, plain value: harmless data
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('refuses an object hidden under __proto__ in props', () => {
    const event = hostile(
      `{"id":"${id}","type":"track","ts":"${ts}","name":"x","props":{"__proto__":{"polluted":true}}}`,
    );
    const result = parse(event);
    if (result.success && result.data.type === 'track') {
      expect(Object.getPrototypeOf(result.data.props ?? {})).toBe(Object.prototype);
      expect((result.data.props as Record<string, unknown> | undefined)?.polluted).toBeUndefined();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('strips __proto__ and constructor keys from the event itself', () => {
    const event = hostile(
      `{"id":"${id}","type":"action","ts":"${ts}","url":"${url}","name":"book-call",` +
        `"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}`,
    );
    const result = parse(event);
    expect(result.success).toBe(true);
    expect(Object.getPrototypeOf(result.data)).toBe(Object.prototype);
    expect(Object.keys(result.data ?? {}).sort()).toEqual(['id', 'name', 'ts', 'type', 'url']);
    expect((result.data as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
