import { MAX_EMAIL, MAX_KEYS, MAX_NAME, MAX_TAG, MAX_TAGS, MAX_URL } from './limits.ts';

/**
 * Every value a page or an API call hands the SDK is cut to the wire limits here, so that each
 * event the SDK produces is one the collector accepts.
 */

/** `value` as text of at most `max` characters. */
export const clip = (value: unknown, max: number): string => `${value ?? ''}`.slice(0, max);

/** A non-empty name (event, form, step, action, conversion) or undefined. */
export const cleanName = (value: unknown): string | undefined => clip(value, MAX_NAME).trim() || undefined;

/** An absolute http(s) URL cut to the wire limit, or undefined. */
export const cleanUrl = (url: string): string | undefined =>
  /^https?:\/\//i.test(url) ? url.slice(0, MAX_URL) : undefined;

/**
 * Tags from a list such as `"pricing, high-intent"`: the runs of letters, digits and `_ : . -`
 * (anything else separates tags) of at most 64 characters; at most 20.
 */
export const cleanTags = (list: string | null | undefined): string[] | undefined =>
  list
    ?.match(/[\w:.-]+/g)
    ?.filter((tag) => tag.length <= MAX_TAG)
    .slice(0, MAX_TAGS);

export type Scalar = string | number | boolean | null;

/**
 * Props or traits: at most 50 entries with names of 1–128 characters and scalar values
 * (strings cut to `maxValue`, finite numbers, booleans, null); anything else is left out.
 */
export const cleanRecord = (record: unknown, maxValue: number): Record<string, Scalar> | undefined =>
  record
    ? Object.fromEntries(
        Object.entries(record)
          .filter(
            ([key, value]) =>
              key &&
              key.length <= MAX_NAME &&
              (value === null || value === !!value || value === `${value}` || Number.isFinite(value)),
          )
          .slice(0, MAX_KEYS)
          .map(([key, value]) => [key, value === `${value}` ? value.slice(0, maxValue) : value]),
      )
    : undefined;

// The collector's address check (packages/protocol identifiers.ts): one @, a dotted domain of
// letters, digits and inner hyphens, no spaces, quotes or brackets. (The collector also refuses
// control characters; such an address is listed as rejected there and simply not stored.)
// The `\b`s keep hyphens off either end of each label: the class holds no other word characters.
const EMAIL = /^[^\s@"<>()[\]\\,;:]+@(\b[a-z\d-]+\b\.)+\b[a-z\d-]+\b$/;

/** The email trimmed and lower-cased, or undefined when the collector would refuse it. */
export const cleanEmail = (raw: unknown): string | undefined => {
  const email = `${raw ?? ''}`.trim().toLowerCase();
  return email.length <= MAX_EMAIL && EMAIL.test(email) ? email : undefined;
};
