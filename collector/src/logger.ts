/** Structured JSON logs, one line each. Never pass emails, IPs or keys in `fields`. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
};

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(
  minimum: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  return {
    log(level, message, fields = {}) {
      if (ORDER[level] < ORDER[minimum]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
    },
  };
}

/** A logger that keeps its lines, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createLogger('debug', (line) => lines.push(line)) };
}

export const silentLogger: Logger = { log: () => {} };
