// @vitest-environment node
/// <reference types="node" />
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { expect, test } from 'vitest';

/**
 * Size is a feature: the script-tag build must stay within its gzip budget and must not carry
 * debugging leftovers or anything that looks like reading secrets. Builds with rollup when
 * dist/lb.js is missing (the root `test` script builds first anyway).
 */
const BUDGET_GZIP = 3072;
const FORBIDDEN = [
  'console.',
  'debugger',
  'sourceMappingURL',
  'password',
  'localhost',
  'eval(',
  'process.env',
  'new Function',
  'innerHTML',
  'document.write',
];

const dist = new URL('../dist/lb.js', import.meta.url);

function readBuild(): string {
  if (!existsSync(dist)) {
    const rollup = createRequire(import.meta.url).resolve('rollup/dist/bin/rollup');
    execFileSync(process.execPath, [rollup, '-c', 'rollup.config.mjs'], {
      cwd: new URL('..', import.meta.url).pathname,
    });
  }
  return readFileSync(dist, 'utf8');
}

test(`the script-tag build is at most ${BUDGET_GZIP} bytes gzip -9`, () => {
  const code = readBuild();
  const gzip = gzipSync(code, { level: 9 }).length;
  expect(gzip).toBeGreaterThan(500); // a real build, not an empty file
  expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP);
}, 60_000);

test.each(FORBIDDEN)(
  'the script-tag build contains no %s',
  async (forbidden) => {
    expect(readBuild()).not.toContain(forbidden);
  },
  60_000,
);
