/** What kind of failure a database error is, whichever driver raised it (drizzle wraps them in `cause`). */
function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') codes.push(e.message);
    current = e.cause;
  }
  return codes;
}

const RETRYABLE = new Set(['40P01', '40001', '23505']);

/** Deadlocks, serialisation failures and unique races: the same write may well succeed again. */
export function isRetryableWriteError(error: unknown): boolean {
  return codesOf(error).some((code) => RETRYABLE.has(code));
}

/** The division by zero of a one-statement write's guard (`failUnlessAllStored`): a row was not stored. */
export function isGuardFailure(error: unknown): boolean {
  return codesOf(error).includes('22012');
}

const UNAVAILABLE_CODES = [
  /^08/, // connection exceptions
  /^57P0[123]$/, // admin / crash shutdown, cannot connect now
  /^53300$/, // too many connections
  /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND)$/,
  /^CONNECTION_(CLOSED|ENDED|DESTROYED)$/,
  /^CONNECT_TIMEOUT$/,
  /PGlite is closed/i,
  /terminating connection/i,
  /connection (terminated|refused|ended)/i,
];

/** The database is not reachable now: answer 503 and let the client retry. */
export function isUnavailableError(error: unknown): boolean {
  return codesOf(error).some((code) => UNAVAILABLE_CODES.some((pattern) => pattern.test(code)));
}
