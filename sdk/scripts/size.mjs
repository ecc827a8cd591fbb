// Prints the size of the script-tag build (dist/lb.js): raw, gzip -9 and brotli (max quality),
// against the budget, with the features those bytes carry. Run `pnpm build` first.
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const BUDGET_GZIP = 3072;
export const GOAL_GZIP = 2048;

export const FEATURES = [
  'async snippet queue (array or function stub .q), replayed in order; push() after load',
  'page views incl. SPA navigation (pushState/replaceState/popstate), no duplicates',
  'page tags (<meta name="lb:tags">), thank-you pages (<meta name="lb:thank-you">)',
  'downloads: file extensions, download attribute, data-lb-download tags; beaconed at once',
  'multi-step forms: data-lb-form + data-lb-step, focus and show/hide detection, final submit',
  'actions (data-lb-action), auto-identify from the email field on final submit',
  'anonymous id in cookie + localStorage (13 months), 30-minute sessions with UTM',
  'identify / track / page / consent / reset; GPC and DNT turn identification off',
  'consent mode: memory only until consent(true)',
  'persistent bounded outbox with drop counter, leases across tabs',
  'batches (100 events, <48 KB), sendBeacon on hide, fetch keepalive, text/plain',
  'exponential backoff with jitter, Retry-After, no retry on final 4xx',
];

/** Sizes of a built script, in bytes. */
export function measure(code) {
  return {
    raw: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    brotli: brotliCompressSync(code, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: code.length,
      },
    }).length,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL('../dist/lb.js', import.meta.url);
  let code;
  try {
    code = readFileSync(file);
  } catch {
    process.stderr.write('dist/lb.js is missing: run `pnpm --filter @leadbeam/sdk build` first\n');
    process.exit(1);
  }
  const { raw, gzip, brotli } = measure(code);
  process.stdout.write(
    [
      'lb.js (script-tag build)',
      `  raw     ${raw} bytes`,
      `  gzip -9 ${gzip} bytes  (budget ${BUDGET_GZIP}, goal ${GOAL_GZIP})`,
      `  brotli  ${brotli} bytes`,
      'features:',
      ...FEATURES.map((feature) => `  - ${feature}`),
      '',
    ].join('\n'),
  );
  if (gzip > BUDGET_GZIP) {
    process.stderr.write(`over budget by ${gzip - BUDGET_GZIP} bytes\n`);
    process.exit(1);
  }
  process.stdout.write(`within budget: ${BUDGET_GZIP - gzip} bytes to spare\n`);
}
