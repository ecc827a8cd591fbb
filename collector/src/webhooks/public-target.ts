import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 (carrier-grade NAT)
  [0x7f000000, 8], // 127/8
  [0xa9fe0000, 16], // 169.254/16 (link-local, cloud metadata)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 3], // multicast and reserved
];

/** True for loopback, private, link-local and reserved addresses: never a webhook's target. */
export function isPrivateAddress(address: string): boolean {
  const mapped = address.toLowerCase().startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(mapped) === 4) {
    const value = mapped.split('.').reduce((acc, part) => (acc << 8) + Number(part), 0) >>> 0;
    return PRIVATE_V4.some(([net, bits]) => value >>> (32 - bits) === net >>> (32 - bits));
  }
  const v6 = mapped.toLowerCase();
  return v6 === '::' || v6 === '::1' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6);
}

/**
 * Refuses a webhook URL whose host resolves to a private address, so a site owner cannot make
 * the collector call into its own network (SSRF). Checked at send time, after DNS resolution.
 */
export async function assertPublicTarget(
  url: string,
  resolve: (host: string) => Promise<{ address: string }[]> = (host) => lookup(host, { all: true }),
): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [{ address: host }] : await resolve(host);
  const blocked = addresses.find(({ address }) => isPrivateAddress(address));
  if (blocked || addresses.length === 0) {
    throw new Error(
      `refused: ${host} resolves to a private address (set LEADBEAM_WEBHOOK_PRIVATE_TARGETS=true to allow)`,
    );
  }
}
