import fc from 'fast-check';

/** Text a careless or hostile client sends where an id, an email, a time or a number belongs. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\u0001\u001f\u007f',
    '\ud800',
    '%00',
    '%',
    '%E0%A4%A',
    '..',
    '__proto__',
    'constructor',
    'x'.repeat(400),
    "x' or '1'='1",
    '1e400',
    'NaN',
    'Infinity',
    '-1',
    '0x10',
    '[object Object]',
  ),
);

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** ISO times in zod's format at the edges: years 0000 to 9999, offsets up to ±23:59. */
const nearMissTime = fc
  .tuple(
    fc.oneof(fc.constantFrom(0, 1, 1969, 1970, 9999), fc.integer({ min: 0, max: 9999 })),
    fc.constantFrom('+', '-'),
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.stringMatching(/^\d{1,9}$/), { nil: undefined }),
  )
  .map(
    ([year, sign, hours, minutes, fraction]) =>
      `${pad(year, 4)}-01-01T00:00:00${fraction === undefined ? '' : `.${fraction}`}${sign}${pad(hours, 2)}:${pad(minutes, 2)}`,
  );

/** Times `Date.parse`, zod or a person would take, most of which PostgreSQL does not. */
export const hostileTime = fc.oneof(
  { weight: 3, arbitrary: nearMissTime },
  fc.constantFrom(
    '1',
    'Thu, 01 Jan 2026 00:00:00 GMT+9999',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '0000-01-01T00:00:00Z',
    '1969-12-31T23:59:59.999999Z',
    '9999-12-31T23:59:59.999999Z',
    '10000-01-01T00:00:00Z',
    '2026-01-01T00:00:00+23:59',
    '2026-02-30T00:00:00Z',
    '2026-11-23T10:00:00.123456Z\u0000',
    `2026-11-23T10:00:00.${'9'.repeat(40)}Z`,
    '2031-05-17',
    'now',
    'infinity',
    'epoch',
  ),
  fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  fc.date({ noInvalidDate: true }).map((date) => date.toUTCString()),
  fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: -25, max: 25 }))
    .map(
      ([year, hours]) =>
        `${pad(year, 4)}-06-15T12:00:00${hours < 0 ? '-' : '+'}${pad(Math.abs(hours), 2)}:00`,
    ),
);

/** Times as the server writes them into cursors: these must page, whatever the year. */
export const serverTime = fc
  .tuple(
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([date, micros]) => `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`);

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url');
const cursorPart = fc.oneof(hostileTime, hostileText, fc.uuid(), serverTime, fc.jsonValue({ maxDepth: 2 }));

/** Cursors: mostly forged [time, id] pairs, then other JSON, nested arrays, well-formed ones, and noise. */
export const hostileCursor = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(fc.oneof(hostileTime, serverTime), fc.oneof(fc.uuid(), hostileText)).map(base64url),
  },
  { weight: 1, arbitrary: fc.tuple(cursorPart, cursorPart).map(base64url) },
  {
    weight: 1,
    arbitrary: fc
      .array(fc.oneof(cursorPart, fc.array(cursorPart, { maxLength: 3 })), { maxLength: 4 })
      .map(base64url),
  },
  { weight: 1, arbitrary: fc.tuple(serverTime, fc.uuid()).map(base64url) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(base64url) },
  { weight: 1, arbitrary: fc.base64String({ maxLength: 300 }) },
  { weight: 1, arbitrary: hostileText },
);

/** Numbers as query text: in range, out of range, and not numbers at all. */
export const hostileNumber = fc.oneof(
  fc.integer({ min: -10, max: 300 }).map(String),
  fc.double().map(String),
  fc.constantFrom('', '1e400', '-0', '0x10', '1_000', ' 5 ', '5abc', 'NaN', 'Infinity', '9'.repeat(400)),
);

/** Where a string could hide a NUL or an unpaired surrogate in a JSON body. */
export const unstorableString = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('\u0000', '\ud800', '\udfff'),
    fc.string({ maxLength: 20 }),
  )
  .map(([before, bad, after]) => `${before}${bad}${after}`);

/** Where in a JSON value its strings are: each a path of keys and indexes. */
function stringPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringPaths(item, [...at, i]));
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([key, item]) => stringPaths(item, [...at, key]));
  return [];
}

function replaceAt(value: unknown, path: (string | number)[], text: string): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return text;
  if (Array.isArray(value)) return value.map((item, i) => (i === head ? replaceAt(item, rest, text) : item));
  const object = value as Record<string, unknown>;
  return { ...object, [head]: replaceAt(object[head as string], rest, text) };
}

/** A valid body with one of its strings made hostile: it passes every check but the one under test. */
export const taintedBody = (valid: unknown): fc.Arbitrary<{ value: unknown; injected: string[] }> => {
  const paths = stringPaths(valid);
  if (paths.length === 0) return fc.constant({ value: valid, injected: [] });
  return fc
    .tuple(fc.constantFrom(...paths), fc.oneof(unstorableString, hostileText), fc.boolean())
    .map(([path, text, append]) => {
      const original = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], valid);
      const tainted = append ? `${original}${text}` : text;
      return { value: replaceAt(valid, path, tainted), injected: [text, tainted] };
    });
};

/**
 * A value to put in a URL as the client wrote it: `raw` is spliced in unencoded (stray `%`,
 * broken escapes), `text` is what the server may decode it to, both checked against echoes.
 */
export type UrlValue = { raw: string; text: string };

const decodeLoosely = (raw: string) => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** The text with each unpaired surrogate replaced, as UTF-8 (and so a URL) can only carry that. */
const wellFormed = (text: string) =>
  text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** Anything as a URL component: mostly encoded text, sometimes raw percent soup. */
export const urlValue = (text: fc.Arbitrary<string>): fc.Arbitrary<UrlValue> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: text.map(wellFormed).map((value) => ({ raw: encodeURIComponent(value), text: value })),
    },
    {
      weight: 1,
      arbitrary: fc
        .stringMatching(/^(?:[A-Za-z0-9@._~:+-]|%[0-9A-Fa-f]{0,2}|%[0-9A-Fa-f]{2}%[0-9A-Fa-f]{2}){0,30}$/)
        .map((raw) => ({ raw, text: decodeLoosely(raw) })),
    },
  );
