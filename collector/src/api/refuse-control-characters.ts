import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../http/api-error.ts';

// \p{Cc} is exactly the C0 controls, DEL and the C1 controls.
const CONTROL = /\p{Cc}/u;
// Percent-encoded, as the raw URL carries them (C1 as UTF-8): a superset of what any decoding produces.
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f|c2%[89][0-9a-f])/i;
/** The headers the API reads; the request id header is checked by hono's requestId. */
const READ_HEADERS = ['authorization', 'content-type'] as const;

const refusal = (where: string) =>
  new ApiError(
    400,
    'invalid_request',
    `invalid request: ${where} must not contain control characters (U+0000 to U+001F, U+007F to U+009F)`,
  );

const hasControl = (text: string) => CONTROL.test(text) || ENCODED_CONTROL.test(text);

/**
 * Refuses, before any route or key check, a request whose path, query or read headers carry a
 * control character: none belongs in an id, email, time or cursor, and NUL would fail in SQL.
 * Both the raw URL and hono's decoding of it are checked, so no spelling slips through.
 */
export const refuseControlCharacters: MiddlewareHandler = async (c, next) => {
  const url = c.req.url;
  const queryAt = url.indexOf('?');
  const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
  const rawQuery = queryAt === -1 ? '' : url.slice(queryAt + 1);
  if (hasControl(rawPath) || CONTROL.test(c.req.path)) throw refusal('the path');
  const query = Object.entries(c.req.queries());
  if (hasControl(rawQuery) || query.some(([name, values]) => [name, ...values].some((v) => CONTROL.test(v))))
    throw refusal('the query');
  for (const name of READ_HEADERS) {
    if (CONTROL.test(c.req.header(name) ?? '')) throw refusal(`the ${name} header`);
  }
  await next();
};
