import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../testing/test-databases.ts';
import { INSTANT_HINT, instantParam } from './instant-param.ts';

const pad = (value: number, width: number) => String(value).padStart(width, '0');

/** Texts near an ISO time: each field sometimes out of range, the zone in every spelling. */
const nearTime = fc
  .record({
    year: fc.oneof(fc.integer({ min: 1960, max: 2100 }), fc.integer({ min: 0, max: 10_000 })),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 61 }),
    second: fc.integer({ min: 0, max: 61 }),
    fraction: fc.option(fc.stringMatching(/^\d{1,12}$/), { nil: undefined }),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', '', 'GMT', '+9999'),
      fc
        .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 }))
        .map(([sign, h, m]) => `${sign}${pad(h, 2)}:${pad(m, 2)}`),
    ),
  })
  .map(
    (t) =>
      `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}T${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}` +
      `${t.fraction === undefined ? '' : `.${t.fraction}`}${t.zone}`,
  );

describe('an instant in a query parameter', () => {
  it.each([
    '2026-11-23T10:00:00Z',
    '2026-11-23T10:00:00.123456789Z',
    '2026-11-23T10:00:00+14:00',
    '2026-11-23T10:00:00-12:00',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
  ])('is taken as %s', (text) => {
    expect(instantParam.safeParse(text).success).toBe(true);
  });

  it.each([
    ['a word', 'yesterday'],
    ['a bare number', '1'],
    ['an HTTP date', 'Thu, 01 Jan 2026 00:00:00 GMT+9999'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['before 1970', '1969-12-31T23:59:59Z'],
    ['year 275760', '+275760-09-13T00:00:00Z'],
    ['an offset past 14 hours', '2026-01-01T00:00:00+23:00'],
    ['without a zone', '2026-01-01T00:00:00'],
    ['a day February lacks', '2026-02-30T00:00:00Z'],
    ['too many digits', `2026-01-01T00:00:00.${'1'.repeat(30)}Z`],
  ])('is refused as %s, with one issue that says what is expected', (_, text) => {
    const result = instantParam.safeParse(text);
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([INSTANT_HINT]);
  });
});

describe.each(DATABASE_KINDS)('instants the API takes on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());

  it('all cast to timestamptz, as SQL receives them', async () => {
    await fc.assert(
      fc.asyncProperty(nearTime, async (text) => {
        if (!instantParam.safeParse(text).success) return;
        await database.db.execute(sql`select ${text}::timestamptz`);
      }),
      { numRuns: 300 },
    );
  });
});
