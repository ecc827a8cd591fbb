import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../http/api-error.ts';
import { decodeCursor, encodeCursor, MAX_CURSOR_LENGTH, parseCursor } from './cursor.ts';

const ID = '5f0c3a2e-8d1b-4c7a-9e2f-1a2b3c4d5e6f';
const AT = '2026-11-23T10:00:00.123456Z';
const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Times as `exactTime` writes them: UTC to the microsecond, from 1970 to 9999. */
const serverTime = fc
  .tuple(
    fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59.999Z'),
      noInvalidDate: true,
    }),
    fc.integer({ min: 0, max: 999 }),
  )
  .map(([date, micros]) => `${date.toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`);

describe('cursors', () => {
  it('give back every position the server makes, unchanged', () => {
    fc.assert(
      fc.property(serverTime, fc.uuid(), (at, id) => {
        expect(parseCursor(encodeCursor({ at, id }))).toEqual({ at, id });
      }),
    );
  });

  it.each([
    ['a bare number', '1'],
    ['a zone PostgreSQL does not know', 'Thu, 01 Jan 2026 00:00:00 GMT+9999'],
    ['year 275760', '+275760-09-13T00:00:00.000000Z'],
    ['a NUL', '2026-11-23T10:00:00.123456Z\u0000'],
    ['milliseconds only', '2026-11-23T10:00:00.123Z'],
    ['an offset', '2026-11-23T10:00:00.123456+01:00'],
    ['a day February lacks', '2026-02-30T10:00:00.000000Z'],
    ['hour 24', '2026-11-23T24:00:00.000000Z'],
    ['year 1969', '1969-12-31T23:59:59.999999Z'],
    ['year 0000', '0000-01-01T00:00:00.000000Z'],
  ])('refuse a time that is %s', (_, at) => {
    expect(parseCursor(raw([at, ID]))).toBeNull();
  });

  it.each([
    ['not a uuid', 'x'],
    ['a uuid in capitals', ID.toUpperCase()],
    ['a uuid with a NUL', `${ID}\u0000`],
    ['a number', 42],
  ])('refuse an id that is %s', (_, id) => {
    expect(parseCursor(raw([AT, id]))).toBeNull();
  });

  it('refuse anything but the exact encoding of a [time, id] pair', () => {
    const valid = encodeCursor({ at: AT, id: ID });
    expect(parseCursor(valid)).not.toBeNull();
    for (const cursor of [
      '',
      `${valid}=`,
      Buffer.from(JSON.stringify([AT, ID])).toString('base64'),
      raw([AT, ID, 'extra']),
      raw([[AT], ID]),
      raw({ at: AT, id: ID }),
      Buffer.from(` ["${AT}","${ID}"]`).toString('base64url'),
      'not-a-cursor',
      'A'.repeat(MAX_CURSOR_LENGTH + 1),
    ])
      expect(parseCursor(cursor), cursor).toBeNull();
  });

  it('refuse every other input without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String(), fc.jsonValue().map(raw)), (cursor) => {
        const position = parseCursor(cursor);
        if (position !== null) expect(encodeCursor(position)).toBe(cursor);
      }),
    );
  });

  it('are refused with 400 and a hint, never with the cursor itself', () => {
    const forged = raw(['1', 'x']);
    expect(decodeCursor(undefined)).toBeNull();
    expect(() => decodeCursor(forged)).toThrow(ApiError);
    try {
      decodeCursor(forged);
    } catch (error) {
      expect(error).toMatchObject({
        status: 400,
        code: 'invalid_request',
        message: 'invalid cursor: pass back the nextCursor of a previous answer',
      });
    }
  });
});
