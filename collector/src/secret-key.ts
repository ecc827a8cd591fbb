import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

/**
 * The key that encrypts webhook secrets at rest. Production (DATABASE_URL) must set
 * LEADBEAM_SECRET, identical on every collector; the embedded quickstart keeps one in its data folder.
 */
export function resolveSecret(config: Config): { ok: true; secret: string } | { ok: false; message: string } {
  if (config.LEADBEAM_SECRET) return { ok: true, secret: config.LEADBEAM_SECRET };
  if (config.DATABASE_URL) {
    return {
      ok: false,
      message: 'LEADBEAM_SECRET: required with DATABASE_URL (32+ characters, the same on every collector)',
    };
  }
  const file = join(config.LEADBEAM_DATA_DIR, 'secret.key');
  if (!existsSync(file)) {
    mkdirSync(config.LEADBEAM_DATA_DIR, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return { ok: true, secret: readFileSync(file, 'utf8').trim() };
}
