import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { queryRows } from './database.ts';
import { DEFAULT_FLUSH_AFTER_KB, openDatabase, postgresSessionSettings } from './open-database.ts';

describe('the PostgreSQL sessions of the collector', () => {
  it('plan every execution with its parameters and write evicted pages back every 256 kB', () => {
    expect(postgresSessionSettings(DEFAULT_FLUSH_AFTER_KB)).toEqual({
      plan_cache_mode: 'force_custom_plan',
      backend_flush_after: '256kB',
    });
  });

  it('leave the server its own flush setting when given 0', () => {
    expect(postgresSessionSettings(0)).toEqual({ plan_cache_mode: 'force_custom_plan' });
  });

  for (const kind of DATABASE_KINDS.filter((k) => k === 'postgres')) {
    it(`are opened with those settings on a real server (${kind})`, async () => {
      const { default: postgres } = await import('postgres');
      const admin = postgres(process.env.DATABASE_URL as string, { max: 1, onnotice: () => {} });
      const name = `leadbeam_test_${randomBytes(6).toString('hex')}`;
      await admin.unsafe(`create database ${name}`);
      try {
        const url = new URL(process.env.DATABASE_URL as string);
        url.pathname = `/${name}`;
        const setting = async (flushAfterKb?: number) => {
          const database = await openDatabase({
            url: url.toString(),
            poolSize: 1,
            ...(flushAfterKb === undefined ? {} : { flushAfterKb }),
          });
          try {
            const [row] = await queryRows<{ flush: string; plans: string }>(
              database.db,
              sql`select current_setting('backend_flush_after') as flush, current_setting('plan_cache_mode') as plans`,
            );
            return row;
          } finally {
            await database.close();
          }
        };
        const [server] = await admin<
          { flush: string }[]
        >`select current_setting('backend_flush_after') as flush`;
        expect(await setting()).toEqual({ flush: '256kB', plans: 'force_custom_plan' });
        expect(await setting(64)).toEqual({ flush: '64kB', plans: 'force_custom_plan' });
        expect(await setting(0)).toEqual({ flush: server?.flush, plans: 'force_custom_plan' });
      } finally {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end();
      }
    });
  }
});
