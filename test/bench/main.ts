/**
 * `pnpm bench [--quick] [--db pglite|postgres|both]`: PGlite always, PostgreSQL when DATABASE_URL
 * is set (the bench creates and drops its own database there). Prints a table per database and
 * writes the figures to `bench/results/<db>-<time>.json`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchKind } from './bench-database.ts';
import { formatTable } from './report.ts';
import { runBench } from './run-bench.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dbArg = args[args.indexOf('--db') + 1];
const kinds: BenchKind[] =
  args.includes('--db') && dbArg !== 'both'
    ? [dbArg as BenchKind]
    : process.env.DATABASE_URL
      ? ['pglite', 'postgres']
      : ['pglite'];

const results = fileURLToPath(new URL('./results/', import.meta.url));
mkdirSync(results, { recursive: true });
let failed = false;
for (const kind of kinds) {
  console.error(`\n== ${kind}${quick ? ' (quick)' : ''} ==`);
  const result = await runBench({ kind, quick, log: (line) => console.error(line) });
  const file = `${results}${kind}-${result.at.replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\n${formatTable(result)}\n\n(figures in ${file})`);
  if (!result.verified) failed = true;
}
process.exit(failed ? 1 : 0);
