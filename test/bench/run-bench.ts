/**
 * One bench run on one database: ceilings, ingest at increasing concurrency (each step verified
 * against the database), the 80%-of-peak latency step, overload, re-score, reads, and the SDK.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../collector/src/db/database.ts';
import { queryRows } from '../../collector/src/db/database.ts';
import { rescoreSite } from '../../collector/src/scoring/rescore-site.ts';
import { saveRules } from '../../collector/src/scoring/rules-store.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { EVENTS_PER_BATCH } from './batches.ts';
import { type BenchKind, createBenchDatabase } from './bench-database.ts';
import { BENCH_RULES, BENCH_RULES_CHANGED } from './bench-rules.ts';
import { loadFixture } from './load-fixture.ts';
import type { LoadResult, LoadSpec } from './load-generator.ts';
import { measureNoisyNeighbour, type NoisyNeighbourFigures } from './noisy-neighbour.ts';
import {
  freePort,
  REPO_ROOT,
  runScript,
  type ServerProcess,
  startCollectorProcess,
  startServer,
} from './processes.ts';
import { measureRawInsert } from './raw-insert.ts';
import { measureReads, type ReadFigures } from './read-bench.ts';
import { measureRuleMatching, type RuleMatchingFigures } from './rule-matching.ts';
import { measureScriptSize } from './sdk-size.ts';
import { percentile } from './stats.ts';
import { type Verification, verifyStep } from './verify-events.ts';

/** The ingest rate issue 6 asks for on this machine, events/s. */
const TARGET_EVENTS_PER_SECOND = 10_000;

export type BenchOptions = { kind: BenchKind; quick: boolean; log?: (line: string) => void };

export type StepFigures = {
  name: string;
  step: number;
  concurrency: number;
  rate?: number;
  batches: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  statuses: Record<string, number>;
  errors: string[];
  retryAfter: string[];
  /** The load generator's own CPU over the step, % of one core (it shares the machine). */
  generatorCpuPercent: number;
  verification?: Verification;
};

export type BenchResult = {
  kind: BenchKind;
  quick: boolean;
  at: string;
  machine: { cores: number; memoryGiB: number; database: string; node: string; loadAverage: number[] };
  ceilings: {
    rawInsert: Awaited<ReturnType<typeof measureRawInsert>>;
    bareHttp: StepFigures;
  };
  ingest: StepFigures[];
  atEightyPercent: StepFigures | null;
  atEightyOfTarget: StepFigures | null;
  overload: StepFigures | null;
  collectorMemory: { peakMiB: number; rssMiB: number } | null;
  best: { eventsPerSecond: number; ofRawInsert: number; ofBareHttp: number };
  /** After a rules change on the scored fixture; `firstScoring`: the unscored fixture's first pass. */
  rescore: {
    leads: number;
    events: number;
    seconds: number;
    eventsPerSecond: number;
    loadSeconds: number;
    firstScoring: { seconds: number; eventsPerSecond: number };
  };
  reads: { leads: number; events: number; detail: ReadFigures; listMql: ReadFigures } | { skipped: string };
  /** What one site's rules can cost per event, and its worst beside another site's traffic. */
  ruleMatching: RuleMatchingFigures;
  noisyNeighbour: NoisyNeighbourFigures;
  sdk: {
    bytes: ReturnType<typeof measureScriptSize>;
    batch: { p50Ms: number; p99Ms: number } | { error: string };
  };
  verified: boolean;
};

function plan(kind: BenchKind, quick: boolean) {
  if (quick)
    return {
      concurrencies: [4, 16],
      stepMs: 3_000,
      stepBatches: 60,
      ceilingMs: 500,
      devices: 200,
      fixtureLeads: 500,
      reads: 20,
      sdkIterations: 30,
      eighty: false,
      overload: false,
    };
  return {
    concurrencies: [8, 32, 64, 128],
    stepMs: 10_000,
    stepBatches: 1_000_000,
    ceilingMs: 5_000,
    devices: 10_000,
    fixtureLeads: kind === 'postgres' ? 100_000 : 10_000,
    reads: 1_000,
    sdkIterations: 300,
    eighty: true,
    overload: true,
  };
}

/** Every ingest step a run reports, in the order it ran: closed-loop, paced, overload. */
export function reportedSteps(
  r: Pick<BenchResult, 'ingest' | 'atEightyPercent' | 'atEightyOfTarget' | 'overload'>,
): StepFigures[] {
  return [
    ...r.ingest,
    ...[r.atEightyPercent, r.atEightyOfTarget, r.overload].filter((step) => step !== null),
  ];
}

function figures(name: string, spec: LoadSpec, result: LoadResult): StepFigures {
  const latencies = [...result.latenciesMs].sort((a, b) => a - b);
  return {
    name,
    step: spec.step,
    concurrency: spec.concurrency,
    ...(spec.rate ? { rate: spec.rate } : {}),
    batches: result.sent,
    eventsPerSecond: (result.acked.length * EVENTS_PER_BATCH) / (result.durationMs / 1000),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    statuses: result.statuses,
    errors: result.errors,
    retryAfter: result.retryAfter,
    generatorCpuPercent: (100 * result.cpuMs) / result.durationMs,
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const log = options.log ?? (() => {});
  const p = plan(options.kind, options.quick);
  const run = randomBytes(4).toString('hex');
  const os = await import('node:os');
  // Other work on the machine skews every figure: the 1-minute load average before and after says how much.
  const loadAverage = [os.loadavg()[0] ?? 0];
  const bench = await createBenchDatabase(options.kind);
  const loads: { spec: LoadSpec; result: LoadResult }[] = [];
  let database: Database | null = await bench.open();
  const reopen = async () => {
    database ??= await bench.open();
    return database;
  };
  const release = async () => {
    // PGlite is one process's folder: the bench lets go of it while a collector has it.
    if (options.kind === 'pglite' && database) {
      await database.close();
      database = null;
    }
  };
  try {
    const [version] = await queryRows<{ version: string }>(database.db, sql`select version() as version`);
    const site = await createSite(database.db, { name: 'Bench', rules: BENCH_RULES });
    const siteId = site.id;

    log('ceiling (a): raw multi-row insert');
    const rawInsert = await measureRawInsert(database, {
      run,
      step: 0xfff0,
      devices: p.devices,
      batchesPerStatement: 64,
      concurrency: options.kind === 'postgres' ? 4 : 1,
      durationMs: p.ceilingMs,
    });
    log(
      `  ${Math.round(rawInsert.eventsPerSecond)} events/s (${rawInsert.rowsPerStatement} rows × ${rawInsert.concurrency} connections)`,
    );
    await release();

    const load = async (
      name: string,
      url: string,
      spec: Omit<LoadSpec, 'url' | 'siteKey' | 'run' | 'devices'>,
    ) => {
      const full: LoadSpec = { url, siteKey: site.publicKey, run, devices: p.devices, ...spec };
      const result = await runScript<LoadResult>('load-generator.ts', full);
      const step = figures(name, full, result);
      log(
        `  ${name}: ${Math.round(step.eventsPerSecond)} events/s, p50 ${step.p50Ms.toFixed(1)} ms, p99 ${step.p99Ms.toFixed(1)} ms, ${JSON.stringify(step.statuses)}, generator CPU ${Math.round(step.generatorCpuPercent)}%`,
      );
      return { full, result, step };
    };

    log('ceiling (b): bare Hono route, parse + validate');
    const bare = await startServer({
      entry: 'bare-http-server.ts',
      cwd: `${REPO_ROOT}test/bench`,
      env: {},
      port: await freePort(),
      healthPath: '/healthz',
    });
    const bareHttp = (
      await load('bare http', bare.url, {
        step: 0xfff1,
        concurrency: 64,
        maxBatches: p.stepBatches * 10,
        durationMs: p.ceilingMs,
      })
    ).step;
    await bare.stop();

    // A fresh process compiles its code and fills its site cache on the first requests: a short
    // warm-up (verified like the rest, not reported) keeps that out of the first step.
    const warmUp = async (url: string) => {
      const { full, result } = await load('warm-up', url, {
        step: stepNo++,
        concurrency: 8,
        maxBatches: p.stepBatches,
        durationMs: Math.min(2_000, p.stepMs),
      });
      loads.push({ spec: full, result });
    };
    let stepNo = 1;

    log('ingest: the collector in its own process');
    let collector: ServerProcess = await startCollectorProcess(bench.collectorEnv);
    await warmUp(collector.url);
    const ingest: StepFigures[] = [];
    for (const concurrency of p.concurrencies) {
      const { full, result, step } = await load(`c=${concurrency}`, collector.url, {
        step: stepNo++,
        concurrency,
        maxBatches: p.stepBatches,
        durationMs: p.stepMs,
      });
      loads.push({ spec: full, result });
      ingest.push(step);
    }
    const bestRate = Math.max(...ingest.map((s) => s.eventsPerSecond));
    const paced = async (name: string, eventsPerSecond: number) => {
      const { full, result, step } = await load(name, collector.url, {
        step: stepNo++,
        concurrency: 256,
        rate: Math.max(1, Math.round(eventsPerSecond / EVENTS_PER_BATCH)),
        maxBatches: p.stepBatches,
        durationMs: p.stepMs,
      });
      loads.push({ spec: full, result });
      return step;
    };
    // The target reads "≥ 10,000 events/s, p99 ≤ 100 ms at 80% of that rate": paced at 80% of the
    // peak measured here, and at 80% of the 10,000 the target names.
    const atEightyPercent = p.eighty ? await paced('80% of peak', 0.8 * bestRate) : null;
    const atEightyOfTarget = p.eighty
      ? await paced('80% of the 10,000 target', 0.8 * TARGET_EVENTS_PER_SECOND)
      : null;
    const collectorMemory = collector.memory();
    await collector.stop();

    let overload: StepFigures | null = null;
    if (p.overload) {
      log('overload: a collector with a 32-request queue under 512 concurrent requests');
      collector = await startCollectorProcess({ ...bench.collectorEnv, LEADBEAM_MAX_QUEUE: '32' });
      await warmUp(collector.url);
      const { full, result, step } = await load('overload', collector.url, {
        step: stepNo++,
        concurrency: 512,
        maxBatches: p.stepBatches,
        durationMs: 8_000,
      });
      loads.push({ spec: full, result });
      overload = step;
      await collector.stop();
    }

    log('verify: every acknowledged event stored once, nothing of a 503 stored');
    const db = await reopen();
    const all = reportedSteps({ ingest, atEightyPercent, atEightyOfTarget, overload });
    let everyLoadVerified = true;
    for (const { spec, result } of loads) {
      const verification = await verifyStep(db.db, {
        siteId,
        run,
        step: spec.step,
        acked: result.acked,
        refused: result.refused,
        duplicatesAnswered: result.duplicateEvents,
      });
      const figure = all.find((s) => s.step === spec.step);
      if (figure) figure.verification = verification;
      if (!verification.ok) everyLoadVerified = false;
      log(`  step ${spec.step}: ${JSON.stringify(verification)}`);
    }

    log(`fixture: ${p.fixtureLeads} leads, ${p.fixtureLeads * 10} events`);
    const fixtureSite = await createSite(db.db, { name: 'Fixture', rules: BENCH_RULES });
    const fixtureId = fixtureSite.id;
    const now = new Date();
    const loaded = await loadFixture(db.db, fixtureId, p.fixtureLeads, now);
    log(`  loaded in ${loaded.seconds.toFixed(1)} s; scoring it`);
    // The fixture is stored unscored: its first scoring moves every lead (scores, stages, MQLs).
    const timedRescore = async () => {
      const started = performance.now();
      const { leads, events } = await rescoreSite(db.db, fixtureId, now);
      const seconds = (performance.now() - started) / 1000;
      return { leads, events, seconds, eventsPerSecond: events / seconds };
    };
    const firstScoring = await timedRescore();
    log(
      `  first scoring: ${firstScoring.events} events in ${firstScoring.seconds.toFixed(1)} s; changing the rules`,
    );
    const changed = await saveRules(db.db, fixtureId, BENCH_RULES_CHANGED);
    if (!changed.ok)
      throw new Error(`the changed bench rules do not parse: ${JSON.stringify(changed.issues)}`);
    const rescored = await timedRescore();
    log(`  re-scored ${rescored.events} events in ${rescored.seconds.toFixed(1)} s`);
    await db.db.execute(sql`analyze leads`);
    await release();

    log('reads: GET /v1/leads/{id} and GET /v1/leads?stage=mql');
    collector = await startCollectorProcess(bench.collectorEnv);
    const measured = await measureReads(collector.url, {
      siteId: fixtureId,
      secretKey: fixtureSite.secretKey,
      leads: p.fixtureLeads,
      requests: p.reads,
    });
    await collector.stop();
    const reads = measured
      ? { leads: p.fixtureLeads, events: loaded.events, ...measured }
      : { skipped: 'the collector does not serve GET /v1/leads yet (404)' };

    log('rule matching: random globs, and the costliest rules the schema allows');
    const ruleMatching = measureRuleMatching(options.quick);
    log('noisy neighbour: one site at its worst beside another');
    const noisyNeighbour = await measureNoisyNeighbour(bench, reopen, release, {
      quick: options.quick,
      run,
      log,
    });

    log('sdk: script-tag size and batch time in happy-dom');
    const sdkBatch = await runScript<{ p50Ms: number; p99Ms: number }>('sdk-timing.ts', {
      iterations: p.sdkIterations,
    }).catch((error: unknown) => ({ error: String(error).slice(0, 300) }));

    loadAverage.push(os.loadavg()[0] ?? 0);
    return {
      kind: options.kind,
      quick: options.quick,
      at: new Date().toISOString(),
      machine: {
        cores: os.availableParallelism(),
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        database:
          options.kind === 'pglite'
            ? `PGlite (${version?.version.split(' ').slice(0, 2).join(' ')})`
            : (version?.version.split(' ').slice(0, 2).join(' ') ?? ''),
        node: process.version,
        loadAverage,
      },
      ceilings: { rawInsert, bareHttp },
      ingest,
      atEightyPercent,
      atEightyOfTarget,
      overload,
      collectorMemory,
      best: {
        eventsPerSecond: bestRate,
        ofRawInsert: bestRate / rawInsert.eventsPerSecond,
        ofBareHttp: bestRate / bareHttp.eventsPerSecond,
      },
      rescore: {
        ...rescored,
        loadSeconds: loaded.seconds,
        firstScoring: { seconds: firstScoring.seconds, eventsPerSecond: firstScoring.eventsPerSecond },
      },
      reads,
      ruleMatching,
      noisyNeighbour,
      sdk: { bytes: measureScriptSize(), batch: sdkBatch },
      verified: everyLoadVerified && all.every((s) => s.verification?.ok),
    };
  } finally {
    if (database) await (database as Database).close().catch(() => {});
    await bench.drop();
  }
}
