import type { LookupAddress, LookupOptions } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkedLookup, type Resolve } from './checked-lookup.ts';
import { TargetRefusedError } from './public-target.ts';

const answering =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

/** Runs the lookup as a socket would and answers what it was handed. */
function lookUp(resolve: Resolve, publicOnly: boolean, options: LookupOptions = { all: true }) {
  return new Promise<{ error: Error | null; address: string | LookupAddress[]; family?: number }>(
    (settle) => {
      checkedLookup(resolve, publicOnly)('hooks.acme.test', options, (error, address, family) =>
        settle({ error, address, ...(family === undefined ? {} : { family }) }),
      );
    },
  );
}

describe('the lookup a webhook socket connects with', () => {
  it('hands over public answers as they are', async () => {
    expect(await lookUp(answering('93.184.216.34', '2606:4700::1111'), true)).toEqual({
      error: null,
      address: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:4700::1111', family: 6 },
      ],
    });
    expect(await lookUp(answering('93.184.216.34'), true, {})).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
  });

  it.each([
    ['loopback', ['127.0.0.1']],
    ['a mapped loopback', ['::ffff:7f00:1']],
    ['metadata', ['169.254.169.254']],
    ['one private answer among public ones', ['93.184.216.34', '10.0.0.5']],
    ['a private IPv6 answer beside a public IPv4 one', ['93.184.216.34', 'fd00::1']],
  ])('refuses a name answering %s, without naming the address', async (_, addresses) => {
    const { error } = await lookUp(answering(...addresses), true);
    expect(error).toBeInstanceOf(TargetRefusedError);
    expect(error?.message).toMatch(/resolves to a private, loopback or reserved address/);
    for (const address of addresses) expect(error?.message).not.toContain(address);
  });

  it('refuses even when the private answer is of a family the socket did not ask for', async () => {
    const { error } = await lookUp(answering('93.184.216.34', '::1'), true, { family: 4 });
    expect(error).toBeInstanceOf(TargetRefusedError);
  });

  it('lets private answers through when private targets are allowed', async () => {
    expect(await lookUp(answering('127.0.0.1'), false, {})).toMatchObject({
      error: null,
      address: '127.0.0.1',
    });
  });

  it('passes on resolution failures and reports an empty answer as not found', async () => {
    const failing: Resolve = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.test'), { code: 'ENOTFOUND' });
    };
    expect((await lookUp(failing, true)).error?.message).toMatch(/ENOTFOUND/);
    expect((await lookUp(answering(), true)).error?.message).toMatch(/ENOTFOUND/);
    expect((await lookUp(answering('2606:4700::1111'), true, { family: 4 })).error?.message).toMatch(
      /ENOTFOUND/,
    );
  });
});
