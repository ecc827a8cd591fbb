import type { Context } from 'hono';

/**
 * True when the failure is the client going away mid-request (an aborted upload, a socket the
 * server timed out): nobody is left to answer, and it is no fault of the collector's, so it is
 * counted and logged at debug rather than as an error an attacker could flood the logs with.
 */
export function isClientAbort(error: unknown, c: Context): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') return true;
  // Node's HTTP server rejects the body of a request whose socket closed with a plain "aborted".
  if (error.message === 'aborted') return true;
  return error.name === 'AbortError' && c.req.raw.signal.aborted;
}
