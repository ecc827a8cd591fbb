import { LIMITS } from './limits.ts';
import { localPartProblem } from './local-part-scripts.ts';

/** Why an address is refused, worded for the `rejected` list of the collect answer. */
export const EMAIL_PROBLEMS = {
  invalid: 'must be a valid email address',
  invisible: 'must not contain invisible, formatting or control characters',
  symbols: 'must hold only letters, ASCII digits and ASCII punctuation before @',
  'mixed-scripts': 'must not mix scripts in the part before @',
} as const;

export type EmailCheck =
  | { ok: true; email: string }
  | { ok: false; problem: keyof typeof EMAIL_PROBLEMS; message: string };

/*
 * An address with a zero-width, bidi, private-use or unassigned character is refused, not
 * stripped: nobody types one, so it was crafted to pass for someone else's address, and silently
 * fixing it would hide the attempt. Default_Ignorable covers what \p{Cf} misses (Hangul fillers,
 * combining grapheme joiner, variation selectors).
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Default_Ignorable_Code_Point}]/u;
const EDGE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const INNER_SPACE = /\p{White_Space}/u;
const ADDRESS = /^([^@"<>()[\]\\,;:]+)@([^@]+)$/u;
const ASCII_DOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
const IDN_DOMAIN = /^(?=.*\P{ASCII})[\p{L}\p{M}\p{Nd}.-]+$/u;

const refuse = (problem: keyof typeof EMAIL_PROBLEMS): EmailCheck => ({
  ok: false,
  problem,
  message: EMAIL_PROBLEMS[problem],
});

/**
 * A domain in its ASCII form: an internationalized one (`пример.рф`) becomes punycode through the
 * WHATWG URL parser (no Node-only import), so both spellings of one domain make one lead.
 */
function asciiDomain(domain: string): string | null {
  if (ASCII_DOMAIN.test(domain)) return domain;
  if (!IDN_DOMAIN.test(domain)) return null;
  try {
    const host = new URL(`http://${domain}`).hostname;
    return ASCII_DOMAIN.test(host) ? host : null;
  } catch {
    return null;
  }
}

/**
 * Checks and normalizes an email: NFKC first (fullwidth `ｊａｎｅ＠ａｃｍｅ.test` is `jane@acme.test`),
 * trimmed, lower-cased, the domain in ASCII. Says why when the address cannot identify a lead.
 */
export function checkEmail(raw: string): EmailCheck {
  // Lower-casing can leave a sequence that NFKC changes again; folding twice keeps the result stable.
  const email = raw.normalize('NFKC').replace(EDGE_SPACE, '').toLowerCase().normalize('NFKC');
  if (email.length === 0 || email.length > LIMITS.maxEmailLength) return refuse('invalid');
  if (INVISIBLE.test(email)) return refuse('invisible');
  const parts = INNER_SPACE.test(email) ? null : ADDRESS.exec(email);
  const local = parts?.[1];
  const domain = parts?.[2];
  if (local === undefined || domain === undefined) return refuse('invalid');
  const problem = localPartProblem(local);
  if (problem) return refuse(problem);
  const ascii = asciiDomain(domain);
  if (ascii === null) return refuse('invalid');
  const normalized = `${local}@${ascii}`;
  return normalized.length > LIMITS.maxEmailLength ? refuse('invalid') : { ok: true, email: normalized };
}

/** The normalized email (see `checkEmail`), or null when it is not a usable address. */
export function normalizeEmail(raw: string): string | null {
  const checked = checkEmail(raw);
  return checked.ok ? checked.email : null;
}

/** The domain part of a normalized email. */
export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}
