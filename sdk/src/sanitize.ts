import { MAX_EMAIL, MAX_KEYS, MAX_NAME, MAX_TAG, MAX_TAGS, MAX_URL } from './limits.ts';

/**
 * Every value a page or an API call hands the SDK is cut to the wire limits here, so that each
 * event the SDK produces is one the collector accepts.
 */

/** `value` as text of at most `max` characters. */
export function clip(value: unknown, max: number): string {
  return `${value ?? ''}`.slice(0, max);
}

/** A non-empty name (event, form, step, action, conversion) or undefined. */
export function cleanName(value: unknown): string | undefined {
  return clip(value, MAX_NAME).trim() || undefined;
}

/** An absolute http(s) URL cut to the wire limit, or undefined. */
export function cleanUrl(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url.slice(0, MAX_URL) : undefined;
}

/**
 * Tags from a list such as `"pricing, high-intent"`: the runs of letters, digits and `_ : . -`
 * (anything else separates tags) of at most 64 characters; at most 20.
 */
export function cleanTags(list: string | null | undefined): string[] | undefined {
  return list
    ?.match(/[\w:.-]+/g)
    ?.filter((tag) => tag.length <= MAX_TAG)
    .slice(0, MAX_TAGS);
}

export type Scalar = string | number | boolean | null;

/**
 * Props or traits: at most 50 entries with names of 1–128 characters and scalar values
 * (strings cut to `maxValue`, finite numbers, booleans, null); anything else is left out.
 */
export function cleanRecord(record: unknown, maxValue: number): Record<string, Scalar> | undefined {
  return record
    ? Object.fromEntries(
        Object.entries(record)
          .filter(
            ([key, value]) =>
              key &&
              key.length <= MAX_NAME &&
              (value === null || Number.isFinite(value) || /^(string|boolean)$/.test(typeof value)),
          )
          .slice(0, MAX_KEYS)
          .map(([key, value]) => [key, typeof value === 'string' ? value.slice(0, maxValue) : value]),
      )
    : undefined;
}

// The collector's address check (packages/protocol identifiers.ts): one @, a dotted domain of
// letters, digits and inner hyphens, no spaces, quotes or brackets. (The collector also refuses
// control characters; such an address is listed as rejected there and simply not stored.)
const EMAIL = /^[^\s@"<>()[\]\\,;:]+@([a-z\d]([a-z\d-]*[a-z\d])?\.)+[a-z\d]([a-z\d-]*[a-z\d])?$/;

/** The email trimmed and lower-cased, or undefined when the collector would refuse it. */
export function cleanEmail(raw: unknown): string | undefined {
  const email = `${raw ?? ''}`.trim().toLowerCase();
  return email.length <= MAX_EMAIL && EMAIL.test(email) ? email : undefined;
}
