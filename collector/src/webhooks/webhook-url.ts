/**
 * The shape a webhook URL must have, checked on the text as the site owner sent it: the URL
 * parser silently drops tabs and newlines and reads `\` as `/`, so the raw text is stored and
 * shown back only when it means exactly what the collector will call.
 */
export const WEBHOOK_URL_MAX_LENGTH = 2048;

/**
 * The same rules as one ECMA-262 pattern, for the OpenAPI document: http(s), no userinfo, no
 * whitespace, control characters (raw or percent-encoded) or backslashes.
 */
export const WEBHOOK_URL_PATTERN =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  /^(?!.*%(?:[01][0-9A-Fa-f]|7[Ff]))[Hh][Tt][Tt][Pp][Ss]?:\/\/[^/?#@\\\s\x00-\x1f\x7f-\x9f]+(?:[/?#][^\\\s\x00-\x1f\x7f-\x9f]*)?$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;

/** What is wrong with a webhook URL, in a sentence that never repeats the URL; null when fine. */
export function webhookUrlProblem(raw: string): string | null {
  if (raw.length > WEBHOOK_URL_MAX_LENGTH) return `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`;
  if (CONTROL.test(raw)) return 'must not contain control characters (such as CR, LF or tab)';
  if (/\s/.test(raw)) return 'must not contain whitespace';
  if (ENCODED_CONTROL.test(raw)) return 'must not contain percent-encoded control characters (%00-%1F, %7F)';
  if (raw.includes('\\')) return 'must not contain backslashes';
  if (!URL.canParse(raw)) return 'must be an absolute http(s) URL';
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http(s) URL';
  const authority = /^[a-z]+:\/\/([^/?#]*)/i.exec(raw)?.[1];
  if (authority === undefined) return 'must be an absolute http(s) URL (scheme://host/…)';
  if (authority.includes('@') || url.username || url.password) {
    return 'must not carry credentials (user:password@); authenticate with the signature instead';
  }
  return null;
}
