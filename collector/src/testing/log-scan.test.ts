import { describe, expect, it } from 'vitest';
import { findLeaksInLogs } from './log-scan.ts';

const line = (fields: Record<string, unknown>) =>
  JSON.stringify({ time: '2026-12-04T10:00:00.000Z', level: 'info', ...fields });

describe('findLeaksInLogs', () => {
  it('passes structured lines that carry ids, codes and the listening URL', () => {
    expect(
      findLeaksInLogs([
        line({ message: 'collector listening', url: 'http://127.0.0.1:8787', driver: 'pglite' }),
        line({
          message: 'unhandled error',
          requestId: 'b3c1e8a0-…',
          route: '/v1/leads/:lead',
          code: '22P02',
        }),
        line({
          message: 'x',
          stack:
            'at node_modules/.pnpm/postgres@3.4.9_patch_hash=ab/node_modules/postgres/src/connection.js:12',
        }),
        '',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['an email', line({ message: 'x', path: '/v1/leads/jane@acme.test' })],
    ['a secret key', line({ message: 'x', key: 'sk_AbCdEf1234567890' })],
    ['an IPv4 address', line({ message: 'x', client: '203.0.113.9' })],
    ['an IPv6 address', line({ message: 'x', client: '2001:db8:0:0:0:0:0:1' })],
    ['an IPv6 address', line({ message: 'x', target: 'http://[::ffff:7f00:1]/' })],
  ])('finds %s', (what, leaking) => {
    expect(findLeaksInLogs([leaking])).toEqual([expect.stringMatching(new RegExp(`^${what} in: `))]);
  });
});
