import { isIP } from 'node:net';
import { UAParser } from 'ua-parser-js';

/** Keeps at most the network part of an address: /24 for IPv4, /48 for IPv6. */
export function truncateIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const address = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const version = isIP(address);
  if (version === 4) return `${address.split('.').slice(0, 3).join('.')}.0/24`;
  if (version !== 6) return null;
  const [head = '', tail = ''] = address.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = address.includes('::')
    ? [...headGroups, ...Array(missing).fill('0'), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 3)
    .map((group) => Number.parseInt(group || '0', 16).toString(16))
    .join(':')}::/48`;
}

export type DeviceFacts = {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string;
};

const deviceFactsCache = new Map<string, DeviceFacts>();

/** Browser, OS and device type from a User-Agent (ua-parser-js 1.x), cached per distinct header. */
export function parseUserAgent(userAgent: string): DeviceFacts {
  const cached = deviceFactsCache.get(userAgent);
  if (cached) return cached;
  const result = new UAParser(userAgent).getResult();
  const facts: DeviceFacts = {
    browser: result.browser.name ?? null,
    browserVersion: result.browser.major ?? null,
    os: result.os.name ?? null,
    osVersion: result.os.version ?? null,
    deviceType: result.device.type ?? 'desktop',
  };
  if (deviceFactsCache.size >= 2000) deviceFactsCache.clear();
  deviceFactsCache.set(userAgent, facts);
  return facts;
}

/** The host of a referrer URL, or null when there is none or it is not a URL. */
export function referrerHost(referrer: string | undefined): string | null {
  if (!referrer || !URL.canParse(referrer)) return null;
  return new URL(referrer).hostname;
}
