/**
 * One site at its worst beside another at work: the noisy site publishes the costliest rules the
 * schema allows, sends the events that make them work hardest as fast as its rate limit lets it,
 * and backtests costly rules in a loop, while the quiet site's page views are paced as before.
 * Reported: the quiet site's collect latency alone and beside the noise, and what the noisy site got.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from '../../collector/src/db/database.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import type { BenchDatabase } from './bench-database.ts';
import { BENCH_RULES } from './bench-rules.ts';
import { costliestPageView, costliestRules } from './costliest-rules.ts';
import type { LoadResult, LoadSpec } from './load-generator.ts';
import { runScript, startCollectorProcess } from './processes.ts';
import { percentile } from './stats.ts';

/** The collector's default per-site limit: what stands between one site's events and the others'. */
const SITE_LIMIT_PER_MINUTE = 5_000;
const PREVIEW_BUDGET_MS = 5_000;

export type QuietFigures = {
  batches: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  statuses: Record<string, number>;
};
export type NoisyNeighbourFigures = {
  quietAlone: QuietFigures;
  quietBeside: QuietFigures;
  noisy: {
    publish: { status: number; ms: number };
    batches: Record<string, number>;
    previews: { statuses: Record<string, number>; maxMs: number };
  };
  siteLimitPerMinute: number;
  previewBudgetMs: number;
};

const count = (into: Record<string, number>, key: number | string) => {
  into[key] = (into[key] ?? 0) + 1;
};

export async function measureNoisyNeighbour(
  bench: BenchDatabase,
  open: () => Promise<Database>,
  release: () => Promise<void>,
  options: { quick: boolean; run: string; log: (line: string) => void },
): Promise<NoisyNeighbourFigures> {
  const db = await open();
  const quiet = await createSite(db.db, { name: 'Quiet', rules: BENCH_RULES });
  const noisy = await createSite(db.db, { name: 'Noisy', rules: BENCH_RULES });
  await release();
  const collector = await startCollectorProcess({
    ...bench.collectorEnv,
    LEADBEAM_RATE_LIMIT_SITE: String(SITE_LIMIT_PER_MINUTE),
    LEADBEAM_PREVIEW_BUDGET_MS: String(PREVIEW_BUDGET_MS),
  });
  const durationMs = options.quick ? 3_000 : 20_000;
  // Paced under the site limit: 7 batches of 10 events a second is 4,200 events a minute.
  const quietLoad = (step: number, ms = durationMs) =>
    runScript<LoadResult>('load-generator.ts', {
      url: collector.url,
      siteKey: quiet.publicKey,
      run: options.run,
      step,
      devices: 500,
      concurrency: 16,
      rate: 7,
      maxBatches: 1_000_000,
      durationMs: ms,
    } satisfies LoadSpec).then(quietFigures);
  try {
    // A fresh process compiles its code on the first requests: not part of either figure.
    await quietLoad(0xfe00, 2_000);
    options.log('  the quiet site alone');
    const quietAlone = await quietLoad(0xfe01);

    options.log('  the noisy site publishes the costliest rules');
    const api = (method: string, path: string, body: unknown) =>
      fetch(new URL(path, collector.url), {
        method,
        headers: { authorization: `Bearer ${noisy.secretKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const publishStarted = performance.now();
    const published = await api('PUT', '/v1/scoring', costliestRules('path'));
    await published.body?.cancel();
    const publish = { status: published.status, ms: performance.now() - publishStarted };

    options.log('  the quiet site beside the noisy one');
    let stop = false;
    const batches: Record<string, number> = {};
    const sendCostly = async (device: number) => {
      while (!stop) {
        const response = await fetch(new URL('/v1/collect', collector.url), {
          method: 'POST',
          headers: {
            'content-type': 'text/plain',
            'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0',
          },
          body: JSON.stringify({
            site: noisy.publicKey,
            anonymousId: `noisy-device-${options.run}-${device}`,
            sessionId: `noisy-session-${options.run}-${device}`,
            sentAt: new Date().toISOString(),
            events: Array.from({ length: 10 }, () => ({
              ...costliestPageView(),
              id: randomUUID(),
              ts: new Date().toISOString(),
            })),
          }),
        }).catch(() => null);
        count(batches, response?.status ?? 'error');
        await response?.body?.cancel();
        // Refused: the SDK would back off; a hostile sender does not, but a refusal is cheap.
        if (response?.status === 429) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const previews = { statuses: {} as Record<string, number>, maxMs: 0 };
    const backtest = async () => {
      while (!stop) {
        const started = performance.now();
        const response = await api('POST', '/v1/scoring/preview', costliestRules('tags')).catch(() => null);
        await response?.body?.cancel();
        count(previews.statuses, response?.status ?? 'error');
        previews.maxMs = Math.max(previews.maxMs, performance.now() - started);
      }
    };
    const noise = Promise.all([sendCostly(1), sendCostly(2), backtest()]);
    const quietBeside = await quietLoad(0xfe02);
    stop = true;
    await noise;
    return {
      quietAlone,
      quietBeside,
      noisy: { publish, batches, previews },
      siteLimitPerMinute: SITE_LIMIT_PER_MINUTE,
      previewBudgetMs: PREVIEW_BUDGET_MS,
    };
  } finally {
    await collector.stop();
  }
}

function quietFigures(result: LoadResult): QuietFigures {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    batches: result.sent,
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    statuses: result.statuses,
  };
}
