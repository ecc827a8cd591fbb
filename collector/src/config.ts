import { resolve } from 'node:path';
import { z } from 'zod';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const positiveInt = z.coerce.number().int().positive();

/** The collector's environment, parsed once at start-up. */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(8787),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    LEADBEAM_DATA_DIR: z.string().min(1).default('./.leadbeam'),
    LEADBEAM_TRUST_PROXY: booleanFlag.default(false),
    /** Encrypts webhook secrets at rest: 32+ characters. Generated into the data folder on PGlite when unset. */
    LEADBEAM_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    LEADBEAM_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    LEADBEAM_DB_POOL: positiveInt.max(200).default(10),
    /**
     * PostgreSQL's `backend_flush_after` for the collector's sessions, kB (0 leaves the server's
     * setting): dirty pages are written back as they go instead of in bursts that stall commits.
     */
    LEADBEAM_DB_FLUSH_AFTER_KB: z.coerce
      .number()
      .int()
      .min(0)
      .max(2048, 'must be at most 2048 (PostgreSQL flushes at most 256 pages at a time)')
      .default(256),
    LEADBEAM_MAX_QUEUE: positiveInt.default(2048),
    /** Write transactions in flight at once on PostgreSQL (PGlite always writes one at a time). */
    LEADBEAM_WRITE_CONCURRENCY: positiveInt.max(32).default(2),
    LEADBEAM_MAX_CONNECTIONS: positiveInt.default(2048),
    LEADBEAM_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
    LEADBEAM_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
    /** Events a site may send a minute to one collector process (token bucket; 429 with Retry-After). */
    LEADBEAM_RATE_LIMIT_SITE: positiveInt.default(5_000),
    /** Collect requests one client address may send a minute to one collector process. */
    LEADBEAM_RATE_LIMIT_IP: positiveInt.default(300),
    LEADBEAM_SWEEP_INTERVAL_MS: positiveInt.default(60_000),
    /** How long a backtest of proposed rules may run before it is stopped and answered 503. */
    LEADBEAM_PREVIEW_BUDGET_MS: positiveInt.max(600_000).default(20_000),
    /** Allow webhooks to private addresses (local receivers); off in production against SSRF. */
    LEADBEAM_WEBHOOK_PRIVATE_TARGETS: booleanFlag.default(false),
    LEADBEAM_SDK_SCRIPT: z.string().min(1).optional(),
  })
  .refine((config) => config.LEADBEAM_HEADERS_TIMEOUT_MS <= config.LEADBEAM_REQUEST_TIMEOUT_MS, {
    message: 'must not exceed LEADBEAM_REQUEST_TIMEOUT_MS',
    path: ['LEADBEAM_HEADERS_TIMEOUT_MS'],
  });

export type Config = z.infer<typeof configSchema>;

/** Parses the environment; a bad setting becomes a message naming it and saying why. */
export function parseConfig(
  env: Record<string, string | undefined>,
): { ok: true; config: Config } | { ok: false; message: string } {
  const input = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name in configSchema.shape && value !== ''),
  );
  const result = configSchema.safeParse(input);
  if (result.success) {
    // `pnpm start` and `pnpm leadbeam` run inside a package folder: a relative data folder means
    // the folder the command was typed in (pnpm's INIT_CWD), so both find the same database.
    const base = env.INIT_CWD ?? process.cwd();
    return {
      ok: true,
      config: { ...result.data, LEADBEAM_DATA_DIR: resolve(base, result.data.LEADBEAM_DATA_DIR) },
    };
  }
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
  return { ok: false, message: `Invalid configuration:\n${lines.join('\n')}` };
}
