import { describe, expect, it } from 'vitest';
import { assertPublicTarget, isPrivateAddress } from './public-target.ts';

describe('webhook targets', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700::1111'])('treats %s as public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses a URL whose name resolves to a private address, after resolution', async () => {
    const resolve = async () => [{ address: '93.184.216.34' }, { address: '10.0.0.5' }];
    await expect(assertPublicTarget('https://hooks.acme.test/x', resolve)).rejects.toThrow(/private address/);
    await expect(assertPublicTarget('http://127.0.0.1:9000/hooks')).rejects.toThrow(/private address/);
    await expect(
      assertPublicTarget('https://hooks.acme.test/x', async () => [{ address: '93.184.216.34' }]),
    ).resolves.toBeUndefined();
  });
});
