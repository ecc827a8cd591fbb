import type { ErrorCode } from '@leadbeam/protocol';
import type { ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { describeError } from '../describe-error.ts';
import type { Logger } from '../logger.ts';
import { ApiError } from './api-error.ts';

const HTTP_CODES: Record<number, ErrorCode> = {
  401: 'unauthorized',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Turns every failure into `{"error":{"code","message"}}`; unknown ones are logged with the request id and answered 500 without internals. */
export function createErrorHandler(logger: Logger): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json({ error: { code: error.code, message: error.message } }, error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = HTTP_CODES[error.status] ?? 'invalid_request';
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

export const notFound: NotFoundHandler = (c) =>
  c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404);
