import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Hono } from 'hono';
import { ApiError } from './api-error.ts';

/** `GET /lb.js`: the SDK's script-tag build, cached by browsers for an hour and revalidated by ETag. */
export function sdkScriptRoute(scriptPath: string) {
  let cached: { body: string; etag: string } | null = null;
  const load = async () => {
    if (cached) return cached;
    const body = await readFile(scriptPath, 'utf8').catch(() => {
      throw new ApiError(404, 'not_found', 'the SDK is not built: run `pnpm build`');
    });
    cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
    return cached;
  };
  return new Hono().get('/lb.js', async (c) => {
    const script = await load();
    c.header('Cache-Control', 'public, max-age=3600, stale-while-revalidate=86400');
    c.header('ETag', script.etag);
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (c.req.header('if-none-match') === script.etag) return c.body(null, 304);
    c.header('Content-Type', 'application/javascript; charset=utf-8');
    return c.body(script.body);
  });
}
