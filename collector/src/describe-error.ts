/**
 * What the log may say about an unknown error. drizzle puts the query's parameters in its
 * message ("Failed query: … params: [emails, traits, addresses]"), and database messages may
 * quote values: keep the query text and the driver's code, never the data.
 */
export function describeError(error: unknown): Record<string, unknown> {
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
