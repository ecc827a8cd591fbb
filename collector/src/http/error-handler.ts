import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from '../logger.ts';
import { ApiError } from './api-error.ts';

/** Turns every failure into `{"error":{"code","message"}}`; unknown ones are logged with the request id and answered 500 without internals. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json({ error: { code: error.code, message: error.message } }, error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413
          ? 'payload_too_large'
          : error.status === 401
            ? 'unauthorized'
            : 'invalid_request';
      return c.json({ error: { code, message: error.message || 'invalid request' } }, error.status);
    }
    const requestId = c.get('requestId' as never) as string | undefined;
    logger.log('error', 'unhandled error', {
      requestId,
      method: c.req.method,
      path: c.req.path,
      ...describeError(error),
    });
    return c.json(
      { error: { code: 'internal', message: `internal error (request ${requestId ?? 'unknown'})` } },
      500,
    );
  };
}

/**
 * What the log may say about an unknown error. drizzle puts the query's parameters in its
 * message ("Failed query: … params: [emails, traits, addresses]"), and database messages may
 * quote values: keep the query text and the driver's code, never the data.
 */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: redact(String(error)) };
  const cause = error.cause as { code?: unknown; message?: unknown } | undefined;
  const stack = error.stack?.split('\n').filter((line) => /^\s+at /.test(line));
  return {
    error: `${error.name}: ${redact(withoutParams(error.message))}`,
    ...(cause && typeof cause.code === 'string' ? { code: cause.code } : {}),
    ...(cause && typeof cause.message === 'string' ? { cause: redact(cause.message) } : {}),
    stack: stack?.slice(0, 5).join(' | '),
  };
}

const withoutParams = (message: string) => message.split(/\nparams: /)[0] ?? message;
/** Quoted values, emails and IPv4 addresses, replaced; table and constraint names survive. */
const redact = (text: string) =>
  text
    .replace(/: "[^"]*"/g, ': "…"')
    .replace(/[^\s"'<>()@]+@[^\s"'<>()@]+/g, '[email]')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g, '[ip]')
    .replace(/\bsk_[A-Za-z0-9]+/g, 'sk_[redacted]');

export const notFound: NotFoundHandler = (c) =>
  c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
