import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.ts';

describe('parseConfig', () => {
  it('defaults to PGlite in ./.leadbeam on port 8787', () => {
    const result = parseConfig({});
    expect(result).toMatchObject({
      ok: true,
      config: { PORT: 8787, LEADBEAM_DATA_DIR: './.leadbeam', LEADBEAM_TRUST_PROXY: false },
    });
    expect(result.ok && result.config.DATABASE_URL).toBeUndefined();
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

  it('names each bad setting and says why', () => {
    const result = parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LEADBEAM_SECRET: 'short' });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL: must be a postgres:// or postgresql:// URL');
    expect(message).toContain('LEADBEAM_SECRET: must be at least 32 characters');
  });
});
