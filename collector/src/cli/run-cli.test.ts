import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../testing/test-databases.ts';
import { runCli, UsageError } from './run-cli.ts';

describe.each(DATABASE_KINDS)('the leadbeam CLI on %s', (kind) => {
  const dir = mkdtempSync(join(tmpdir(), 'leadbeam-cli-'));
  let env: Record<string, string>;
  let server: TestDatabase | undefined;
  beforeAll(async () => {
    env = { LEADBEAM_DATA_DIR: join(dir, 'data') };
    if (kind === 'postgres') {
      server = await createTestDatabase('postgres');
      await server.close();
      env.DATABASE_URL = server.url ?? '';
    }
  });
  afterAll(async () => {
    await server?.drop().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    await runCli(argv, { out: (line) => lines.push(line), env });
    return lines.join('\n');
  };

  it('creates a site and prints its keys once, as JSON', async () => {
    const created = JSON.parse(
      await run('sites', 'create', '--name', 'Acme', '--origin', 'https://Acme.test/', '--json'),
    );
    expect(created).toEqual({
      id: expect.stringMatching(/^site_/),
      publicKey: expect.stringMatching(/^pk_/),
      secretKey: expect.stringMatching(/^sk_/),
    });
    const listed = JSON.parse(await run('sites', 'list', '--json'));
    expect(listed).toEqual([
      expect.objectContaining({
        id: created.id,
        publicKey: created.publicKey,
        allowedOrigins: ['https://acme.test'],
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.secretKey);
  });

  it('rotates the secret key and keeps the public key unless asked', async () => {
    const [site] = JSON.parse(await run('sites', 'list', '--json'));
    const rotated = JSON.parse(await run('sites', 'rotate-key', '--site', site.id, '--json'));
    expect(rotated.publicKey).toBe(site.publicKey);
    expect(rotated.secretKey).toMatch(/^sk_/);
    const both = JSON.parse(await run('sites', 'rotate-key', '--site', site.id, '--public', '--json'));
    expect(both.publicKey).not.toBe(site.publicKey);
  });

  it('sets scoring rules from a file as a new version', async () => {
    const [site] = JSON.parse(await run('sites', 'list', '--json'));
    const file = join(dir, 'rules.json');
    writeFileSync(
      file,
      JSON.stringify({
        mql: { threshold: 50 },
        rules: [{ id: 'pricing', on: 'page_view', match: { path: '/pricing*' }, points: 10 }],
      }),
    );
    expect(await run('scoring', 'set', '--site', site.id, '--file', file)).toMatch(
      /^rules v2 stored; re-scored 0 leads/,
    );
    expect(JSON.parse(await run('scoring', 'get', '--site', site.id))).toMatchObject({
      version: 2,
      rules: { mql: { threshold: 50 } },
    });
  });

  it.each([
    [['sites', 'create'], /missing --name/],
    [['sites', 'create', '--name', 'X', '--origin', 'ftp://x'], /--origin: not an http\(s\) origin/],
    [['sites', 'explode'], /unknown command: sites explode/],
    [['sites', 'list', '--colour'], /Unknown option '--colour'/],
    [
      ['scoring', 'set', '--site', 'site_x', '--file', '/nonexistent.json'],
      /cannot read \/nonexistent.json: no such file/,
    ],
    [['sites', 'rotate-key', '--site', 'site_missing'], /no site site_missing/],
  ])('refuses %j with a message saying why', async (argv, message) => {
    await expect(run(...argv)).rejects.toThrow(UsageError);
    await expect(run(...argv)).rejects.toThrow(message);
  });

  it('names the path of every invalid rule in a rules file', async () => {
    const file = join(dir, 'bad-rules.json');
    writeFileSync(
      file,
      JSON.stringify({ halfLife: 'soon', rules: [{ id: 'x', on: 'page_view', points: 0 }] }),
    );
    const failure = run('sites', 'create', '--name', 'Bad', '--scoring', file);
    await expect(failure).rejects.toThrow(/halfLife/);
    await expect(run('sites', 'create', '--name', 'Bad', '--scoring', file)).rejects.toThrow(
      /rules\.0\.points/,
    );
  });
});
