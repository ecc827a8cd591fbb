import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to PGlite in ./.leadbeam on port 8787', () => {
    const result = parseConfig({});
    expect(result).toMatchObject({
      ok: true,
      config: { PORT: 8787, LEADBEAM_DATA_DIR: `${process.cwd()}/.leadbeam`, LEADBEAM_TRUST_PROXY: false },
    });
    expect(result.ok && result.config.DATABASE_URL).toBeUndefined();
  });

  it('resolves a relative data folder against the folder the pnpm command was typed in', () => {
    expect(parseConfig({ INIT_CWD: '/srv/leadbeam' })).toMatchObject({
      config: { LEADBEAM_DATA_DIR: '/srv/leadbeam/.leadbeam' },
    });
    expect(parseConfig({ INIT_CWD: '/srv/leadbeam', LEADBEAM_DATA_DIR: 'data' })).toMatchObject({
      config: { LEADBEAM_DATA_DIR: '/srv/leadbeam/data' },
    });
    expect(parseConfig({ LEADBEAM_DATA_DIR: '/var/lib/leadbeam' })).toMatchObject({
      config: { LEADBEAM_DATA_DIR: '/var/lib/leadbeam' },
    });
  });

  it('reads flags and numbers from strings', () => {
    const result = parseConfig({
      PORT: '9000',
      LEADBEAM_TRUST_PROXY: 'true',
      DATABASE_URL: 'postgres://u@h/db',
    });
    expect(result).toMatchObject({
      ok: true,
      config: { PORT: 9000, LEADBEAM_TRUST_PROXY: true, DATABASE_URL: 'postgres://u@h/db' },
    });
  });

  it('takes the write concurrency from the environment, within 1..32', () => {
    expect(parseConfig({ LEADBEAM_WRITE_CONCURRENCY: '6' })).toMatchObject({
      config: { LEADBEAM_WRITE_CONCURRENCY: 6 },
    });
    expect(parseConfig({})).toMatchObject({ config: { LEADBEAM_WRITE_CONCURRENCY: 2 } });
    for (const bad of ['0', '33', 'many']) {
      const result = parseConfig({ LEADBEAM_WRITE_CONCURRENCY: bad });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain('LEADBEAM_WRITE_CONCURRENCY');
    }
  });

  it('takes the flush-after size for PostgreSQL sessions in kB, 0..2048, 256 unless told', () => {
    expect(parseConfig({})).toMatchObject({ config: { LEADBEAM_DB_FLUSH_AFTER_KB: 256 } });
    expect(parseConfig({ LEADBEAM_DB_FLUSH_AFTER_KB: '0' })).toMatchObject({
      config: { LEADBEAM_DB_FLUSH_AFTER_KB: 0 },
    });
    for (const bad of ['-1', '4096', '256kB', '1.5']) {
      const result = parseConfig({ LEADBEAM_DB_FLUSH_AFTER_KB: bad });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.message).toContain('LEADBEAM_DB_FLUSH_AFTER_KB');
    }
  });

  it('names each bad setting and says why', () => {
    const result = parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LEADBEAM_SECRET: 'short' });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).toContain('LEADBEAM_SECRET: must be at least 32 characters');
  });
});
