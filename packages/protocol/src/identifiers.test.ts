import { describe, expect, it } from 'vitest';
import { isJunkId, isValidClientId } from './identifiers.ts';
import { LIMITS } from './limits.ts';

describe('isJunkId', () => {
  it.each([
    'null',
    'undefined',
    '0',
    '-1',
    'anonymous',
    'ANONYMOUS',
    ' Undefined ',
    'NaN',
    'guest',
    'distinct_id',
    '[object Object]',
    '00000000-0000-0000-0000-000000000000',
  ])('treats %j as junk', (id) => {
    expect(isJunkId(id)).toBe(true);
  });

  it.each(['aaaaaaaa', '00000000', '--------', 'ZZZZZZZZZZZZZZZZZZZZ', '1'])(
    'treats an id made of one repeated character (%j) as junk',
    (id) => {
      expect(isJunkId(id)).toBe(true);
    },
  );

  it.each(['3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b', 'lb_k3j2h4g5f6d7', 'aaaaaaab'])('accepts %j', (id) => {
    expect(isJunkId(id)).toBe(false);
  });
});

describe('isValidClientId', () => {
  it('accepts uuids and short random ids', () => {
    expect(isValidClientId('3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isValidClientId('lb.Xk3:9_q-z')).toBe(true);
  });

  it(`requires ${LIMITS.minIdLength} to ${LIMITS.maxIdLength} characters`, () => {
    expect(isValidClientId('ab12cd3')).toBe(false);
    expect(isValidClientId('ab12cd34')).toBe(true);
    expect(isValidClientId(`x${'7'.repeat(LIMITS.maxIdLength - 1)}`)).toBe(true);
    expect(isValidClientId(`x${'7'.repeat(LIMITS.maxIdLength)}`)).toBe(false);
  });

  it.each(['ab12 cd34', ' ab12cd34', 'ab12cd34\n', 'ab12/cd34', 'ab12cd34é', '{ab12cd34}'])(
    'refuses characters outside [A-Za-z0-9._:-] in %j',
    (id) => {
      expect(isValidClientId(id)).toBe(false);
    },
  );

  it.each([
    'undefined',
    'anonymous',
    'aaaaaaaa',
    '00000000-0000-0000-0000-000000000000',
    'not_authenticated',
  ])('refuses the placeholder %j although it has the right length and characters', (id) => {
    expect(isValidClientId(id)).toBe(false);
  });
});
