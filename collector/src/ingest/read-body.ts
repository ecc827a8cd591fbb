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
  const declared = Number(c.req.header('content-length'));
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const bytes = await readLimited(c.req.raw, maxBytes);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (text.includes('\u0000') || text.includes('\\u0000')) {
    throw new ApiError(400, 'invalid_json', 'the body must not contain NUL characters');
  }
  try {
    return JSON.parse(text, toWellFormed);
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
