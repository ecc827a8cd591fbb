import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of base62 characters (rejection-free: 62 of 256 byte values would bias, so 4 bytes per char mod 62 is close enough for keys of this length). */
export function randomToken(length: number): string {
  const bytes = randomBytes(length * 4);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes.readUInt32BE(i * 4) % 62];
  return out;
}

export const createSiteId = () => `site_${randomToken(12)}`;
/** Public keys are write-only: they may sit in every page's HTML. */
export const createPublicKey = () => `pk_${randomToken(24)}`;
/** Secret keys read leads; shown once, stored as a hash. */
export const createSecretKey = () => `sk_${randomToken(40)}`;

export function hashSecretKey(secretKey: string): string {
  return createHash('sha256').update(secretKey).digest('hex');
}

export function isSameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
