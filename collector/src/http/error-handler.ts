import type { ErrorCode } from '@leadbeam/protocol';
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { describeError } from '../describe-error.ts';
import type { Logger } from '../logger.ts';
import { ApiError } from './api-error.ts';
import { isClientAbort } from './client-abort.ts';

const HTTP_CODES: Record<number, ErrorCode> = {
  401: 'unauthorized',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

/** Requests the client gave up on mid-way: counted for `/healthz`, logged at debug only. */
export type AbortCounter = { aborted: number };

/** Turns every failure into `{"error":{"code","message"}}`; unknown ones are logged with the request id and answered 500 without internals. */
export function createErrorHandler(logger: Logger, aborts: AbortCounter = { aborted: 0 }): ErrorHandler {
  return (error, c) => {
    if (isClientAbort(error, c)) {
      aborts.aborted++;
      logger.log('debug', 'request aborted by the client', { route: routePatternOf(c) });
      // Nobody reads this answer; it only ends the request.
      return c.body(null, 400);
    }
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json({ error: { code: error.code, message: error.message } }, error.status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code = HTTP_CODES[error.status] ?? 'invalid_request';
      return c.json({ error: { code, message: error.message || 'invalid request' } }, error.status);
    }
    const requestId = c.get('requestId' as never) as string | undefined;
    // The route's pattern, not the path: a path names a lead by its email.
    logger.log('error', 'unhandled error', {
      requestId,
      method: methodOf(c),
      route: routePatternOf(c),
      ...describeError(error),
    });
    return c.json(
      { error: { code: 'internal', message: `internal error (request ${requestId ?? 'unknown'})` } },
      500,
    );
  };
}

/** Says which method found no route, never the path: it may carry an email or a key. */
export const notFound: NotFoundHandler = (c) =>
  c.json(
    {
      error: {
        code: 'not_found',
        message: `no route for ${methodOf(c)} at this path: GET /openapi.json lists the routes`,
      },
    },
    404,
  );

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** The request's method when it is a standard one: any other token is the client's raw input. */
const methodOf = (c: Context) => (METHODS.has(c.req.method) ? c.req.method : 'another method');

/** The pattern of the most specific route that matched (`/v1/leads/:lead`), or `none`. */
function routePatternOf(c: Context): string {
  try {
    return routePath(c, -1) || 'none';
  } catch {
    return 'none';
  }
}
