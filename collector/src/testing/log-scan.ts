/**
 * What must never appear in a log line (SECURITY.md, "Logs"): emails, secret keys and client
 * addresses. The one address a log may name is the collector's own listening URL.
 */
const FORBIDDEN: [name: string, pattern: RegExp][] = [
  // A dotted domain ending in letters: pnpm's `postgres@3.4.9` paths in stack traces are not emails.
  ['an email', /[^\s"'<>()@\\/]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/i],
  ['a secret key', /\bsk_[A-Za-z0-9]{8,}/],
  ['a webhook secret', /\bwhsec_[A-Za-z0-9]{8,}/],
  ['an IPv4 address', /\b(?:\d{1,3}\.){3}\d{1,3}\b/],
  ['an IPv6 address', /\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{1,4}\b|::ffff:/i],
];

/** Each offending line with what it leaks; empty when the logs are clean. */
export function findLeaksInLogs(lines: readonly string[]): string[] {
  const leaks: string[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const scanned = withoutOwnAddress(line);
    for (const [name, pattern] of FORBIDDEN) {
      if (pattern.test(scanned)) leaks.push(`${name} in: ${line.slice(0, 300)}`);
    }
  }
  return leaks;
}

function withoutOwnAddress(line: string): string {
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (entry.message === 'collector listening') delete entry.url;
    // The log line's own timestamp looks like neither, but keep the scan to the fields that carry data.
    delete entry.time;
    return JSON.stringify(entry);
  } catch {
    return line;
  }
}
