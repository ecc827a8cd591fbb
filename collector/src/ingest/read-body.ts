import type { Context } from 'hono';
import { ApiError } from '../http/api-error.ts';

const ACCEPTED_TYPES = ['text/plain', 'application/json'];

/**
 * Reads a JSON body sent as `text/plain` (beacons, no CORS preflight) or `application/json`,
 * refusing anything over `maxBytes` before reading it all.
 */
export async function readJsonBody(c: Context, maxBytes: number): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!ACCEPTED_TYPES.includes(type)) {
    throw new ApiError(415, 'unsupported_media_type', 'send the batch as text/plain or application/json');
  }
  const length = c.req.header('content-length');
  const declared = length === undefined ? Number.NaN : Number(length);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  // With a Content-Length, Node's parser never delivers more than it declares: the body is read
  // whole, in one buffer (the server adapter's fast path). Otherwise (chunked) it is counted as
  // it streams in.
  const bytes = Number.isInteger(declared)
    ? new Uint8Array(await c.req.raw.arrayBuffer())
    : await readLimited(c.req.raw, maxBytes);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  // PostgreSQL refuses NUL in text and jsonb, so one would fail the whole write. The escape is
  // only a NUL when its backslash is not itself escaped: `"\\u0000"` is the text \u0000.
  if (text.includes('\u0000') || (text.includes('\\u0000') && ESCAPED_NUL.test(text))) {
    throw new ApiError(400, 'invalid_json', 'the body must not contain NUL characters');
  }
  try {
    // A reviver slows JSON.parse several times over: it only runs when the text escapes a surrogate.
    return SURROGATE_ESCAPE.test(text) ? JSON.parse(text, toWellFormed) : JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'the body is not valid JSON');
  }
}

/**
 * Lone surrogates (`"\ud800"`) are valid JSON but not Unicode: PostgreSQL's jsonb refuses them
 * and the whole write would fail. Like invalid UTF-8 bytes, they become U+FFFD, in keys too.
 */
function toWellFormed(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return fixSurrogates(value);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (!keys.some((key) => LONE_SURROGATE.test(key))) return value;
  return Object.fromEntries(keys.map((key) => [fixSurrogates(key), (value as Record<string, unknown>)[key]]));
}

/** `\u0000` after an even number of backslashes (each pair is one escaped backslash). */
const ESCAPED_NUL = /(?<!\\)(?:\\\\)*\\u0000/;
/** Valid UTF-8 cannot hold a surrogate: one can only arrive as a `\\uD800`-style escape. */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const fixSurrogates = (text: string) =>
  LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, '\uFFFD') : text;

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `the body exceeds ${maxBytes} bytes`);
}

async function readLimited(request: Request, maxBytes: number): Promise<Uint8Array> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}
