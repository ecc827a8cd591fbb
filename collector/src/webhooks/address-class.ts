/**
 * Classifies an IP address as a webhook may or may not reach it. The address is parsed to bytes
 * here, so every spelling of the same address (`::ffff:7f00:1`, `0:0:0:0:0:ffff:127.0.0.1`, …)
 * gets the same answer.
 */
export type AddressClass = { public: true } | { public: false; reason: string };

type Range = { prefix: number[]; bits: number; reason: string };

const range = (prefix: number[], bits: number, reason: string): Range => ({ prefix, bits, reason });

const REFUSED_V4: Range[] = [
  range([0], 8, '"this network" (0.0.0.0/8)'),
  range([10], 8, 'private (10.0.0.0/8)'),
  range([100, 64], 10, 'shared address space (100.64.0.0/10)'),
  range([127], 8, 'loopback (127.0.0.0/8)'),
  range([169, 254], 16, 'link-local (169.254.0.0/16)'),
  range([172, 16], 12, 'private (172.16.0.0/12)'),
  range([192, 0, 0], 24, 'IETF protocol assignments (192.0.0.0/24)'),
  range([192, 0, 2], 24, 'documentation (192.0.2.0/24)'),
  range([192, 88, 99], 24, '6to4 relay anycast (192.88.99.0/24)'),
  range([192, 168], 16, 'private (192.168.0.0/16)'),
  range([198, 18], 15, 'benchmarking (198.18.0.0/15)'),
  range([198, 51, 100], 24, 'documentation (198.51.100.0/24)'),
  range([203, 0, 113], 24, 'documentation (203.0.113.0/24)'),
  range([224], 4, 'multicast (224.0.0.0/4)'),
  range([255, 255, 255, 255], 32, 'broadcast (255.255.255.255)'),
  range([240], 4, 'reserved (240.0.0.0/4)'),
];

/** IPv6 blocks refused whole; the embedded-IPv4 forms are handled before these. */
const REFUSED_V6: Range[] = [
  range([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128, 'unspecified (::)'),
  range([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128, 'loopback (::1)'),
  range([], 96, 'IPv4-compatible, deprecated (::/96)'),
  range([0, 0x64, 0xff, 0x9b, 0, 1], 48, 'local-use NAT64 (64:ff9b:1::/48)'),
  range([1, 0, 0, 0, 0, 0, 0, 0], 64, 'discard-only (100::/64)'),
  range([0x20, 0x01, 0, 0], 32, 'Teredo (2001::/32)'),
  range([0x20, 0x01, 0x0d, 0xb8], 32, 'documentation (2001:db8::/32)'),
  range([0x20, 0x01, 0], 23, 'IETF protocol assignments (2001::/23)'),
  range([0x3f, 0xff], 20, 'documentation (3fff::/20)'),
  range([0xfc], 7, 'unique local (fc00::/7)'),
  range([0xfe, 0x80], 10, 'link-local (fe80::/10)'),
  range([0xfe, 0xc0], 10, 'site-local, deprecated (fec0::/10)'),
  range([0xff], 8, 'multicast (ff00::/8)'),
];

/** Only global unicast space is routable on the internet; anything else is unassigned or special. */
const GLOBAL_UNICAST_V6 = range([0x20], 3, 'global unicast (2000::/3)');

/**
 * Where an IPv6 address carries an IPv4 address that is what it actually reaches: the embedded
 * address is classified instead, so `::ffff:127.0.0.1` is loopback and `::ffff:8.8.8.8` public.
 */
const EMBEDDING_V6: { range: Range; at: number }[] = [
  { range: range([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff], 96, 'IPv4-mapped (::ffff:0:0/96)'), at: 12 },
  {
    range: range([0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0], 96, 'IPv4-translated (::ffff:0:0:0/96)'),
    at: 12,
  },
  { range: range([0, 0x64, 0xff, 0x9b], 96, 'NAT64 (64:ff9b::/96)'), at: 12 },
  { range: range([0x20, 0x02], 16, '6to4 (2002::/16)'), at: 2 },
];

function inRange(bytes: Uint8Array, { prefix, bits }: Range): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
    if (((bytes[bit / 8] ?? 0) & mask) !== ((prefix[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** Canonical dotted decimal only: `0177.0.0.1` is not read as octal, so it is not an IP literal here. */
function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => DECIMAL_OCTET.test(part))) return null;
  const bytes = parts.map(Number);
  return bytes.every((byte) => byte <= 255) ? Uint8Array.from(bytes) : null;
}

const HEX_GROUP = /^[0-9a-f]{1,4}$/i;

/** Hex groups, an optional `::` and an optional dotted IPv4 tail; a zone (`%eth0`) is dropped. */
function parseIpv6(text: string): Uint8Array | null {
  const address = text.replace(/%.*$/, '');
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups: number[][] = [];
  for (const [index, half] of halves.entries()) {
    const words: number[] = [];
    const parts = half === '' ? [] : half.split(':');
    for (const [position, part] of parts.entries()) {
      const last = index === halves.length - 1 && position === parts.length - 1;
      const v4 = last && part.includes('.') ? parseIpv4(part) : null;
      if (v4) words.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      else if (HEX_GROUP.test(part)) words.push(Number.parseInt(part, 16));
      else return null;
    }
    groups.push(words);
  }
  const [head = [], tail = []] = groups;
  const explicit = head.length + tail.length;
  if (halves.length === 1 ? explicit !== 8 : explicit > 7) return null;
  const words = [...head, ...new Array<number>(8 - explicit).fill(0), ...tail];
  return Uint8Array.from(words.flatMap((word) => [word >> 8, word & 0xff]));
}

/** The address as bytes (4 for IPv4, 16 for IPv6), or null when the text is not an IP literal. */
export function parseIpAddress(text: string): Uint8Array | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return bare.includes(':') ? parseIpv6(bare) : parseIpv4(bare);
}

function classifyIpv4(bytes: Uint8Array): AddressClass {
  const refused = REFUSED_V4.find((candidate) => inRange(bytes, candidate));
  return refused ? { public: false, reason: refused.reason } : { public: true };
}

function classifyIpv6(bytes: Uint8Array): AddressClass {
  for (const { range: embedding, at } of EMBEDDING_V6) {
    if (!inRange(bytes, embedding)) continue;
    const v4 = bytes.subarray(at, at + 4);
    const inner = classifyIpv4(v4);
    return inner.public
      ? inner
      : { public: false, reason: `${embedding.reason} of ${v4.join('.')}: ${inner.reason}` };
  }
  const refused = REFUSED_V6.find((candidate) => inRange(bytes, candidate));
  if (refused) return { public: false, reason: refused.reason };
  if (!inRange(bytes, GLOBAL_UNICAST_V6))
    return { public: false, reason: 'not global unicast (outside 2000::/3)' };
  return { public: true };
}

/** Whether a webhook may reach this address; anything that is not an IP literal is refused. */
export function classifyAddress(text: string): AddressClass {
  const bytes = parseIpAddress(text);
  if (!bytes) return { public: false, reason: 'not an IP address' };
  return bytes.length === 4 ? classifyIpv4(bytes) : classifyIpv6(bytes);
}
