/** The bench's table, as printed and as pasted into BENCHMARKS.md. */
import { type BenchResult, reportedSteps, type StepFigures } from './run-bench.ts';

const n = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '–');
const pct = (value: number) => `${(value * 100).toFixed(0)}%`;

function verdict(step: StepFigures): string {
  const v = step.verification;
  if (!v) return 'not verified';
  const parts = [`${n(v.stored)} stored`, `${v.lost} lost`, `${v.duplicated} dup`];
  if (v.unacknowledged) parts.push(`${v.unacknowledged} unacked`);
  return `${v.ok ? 'ok' : 'FAILED'}: ${parts.join(', ')}`;
}

function errorsOf(step: StepFigures): string {
  const bad = Object.entries(step.statuses).filter(([status]) => !status.startsWith('2'));
  return bad.length === 0 ? '0' : bad.map(([status, count]) => `${count}×${status}`).join(' ');
}

export function formatTable(r: BenchResult): string {
  const lines: string[] = [];
  const row = (...cells: string[]) => lines.push(`| ${cells.join(' | ')} |`);
  lines.push(
    `### ${r.kind}${r.quick ? ' (quick)' : ''} — ${r.machine.database}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, node ${r.machine.node}, load average ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(' → ')}`,
    '',
  );
  row('ingest step', 'events/s stored', 'p50 ms', 'p99 ms', 'non-2xx', 'generator CPU', 'verification');
  row('---', '---:', '---:', '---:', '---', '---:', '---');
  for (const s of reportedSteps(r)) {
    const name = s.rate
      ? `${s.name} (${n(s.rate * 10)} ev/s offered)`
      : s.name.startsWith('c=')
        ? s.name
        : `${s.name} (c=${s.concurrency})`;
    row(
      name,
      n(s.eventsPerSecond),
      ms(s.p50Ms),
      ms(s.p99Ms),
      errorsOf(s),
      `${Math.round(s.generatorCpuPercent)}%`,
      verdict(s),
    );
  }
  const raw = r.ceilings.rawInsert;
  lines.push('');
  row('measure', 'value', 'note');
  row('---', '---:', '---');
  row(
    'ceiling (a) raw insert',
    `${n(raw.eventsPerSecond)} ev/s`,
    `${raw.rowsPerStatement} rows/statement × ${raw.concurrency} connections, no HTTP`,
  );
  row(
    'ceiling (b) bare HTTP',
    `${n(r.ceilings.bareHttp.eventsPerSecond)} ev/s`,
    `Hono + validateBatch, stores nothing, c=64, p99 ${ms(r.ceilings.bareHttp.p99Ms)} ms`,
  );
  row(
    'collector peak',
    `${n(r.best.eventsPerSecond)} ev/s`,
    `${pct(r.best.ofRawInsert)} of raw insert, ${pct(r.best.ofBareHttp)} of bare HTTP`,
  );
  if (r.overload) {
    const retry = r.overload.retryAfter[0];
    row(
      'overload 503',
      `${r.overload.statuses['503'] ?? 0} × 503`,
      `Retry-After: ${retry ?? 'missing'}; queue 32, c=512`,
    );
  }
  row(
    'collector peak RSS',
    r.collectorMemory ? `${n(r.collectorMemory.peakMiB)} MiB` : '–',
    'VmHWM of the collector process over the ingest steps',
  );
  const re = r.rescore;
  row(
    're-score, rules changed',
    `${n(re.eventsPerSecond)} ev/s`,
    `${n(re.events)} events, ${n(re.leads)} leads in ${re.seconds.toFixed(1)} s, after a new rules version`,
  );
  row(
    'first scoring',
    `${n(re.firstScoring.eventsPerSecond)} ev/s`,
    `the unscored fixture (loaded in ${re.loadSeconds.toFixed(1)} s) in ${re.firstScoring.seconds.toFixed(1)} s`,
  );
  if ('skipped' in r.reads) row('lead reads', '–', r.reads.skipped);
  else {
    const { detail, listMql } = r.reads;
    const fx = `${n(r.reads.leads)} leads, ${n(r.reads.events)} events`;
    row(
      'GET /v1/leads/{id}',
      `p50 ${ms(detail.p50Ms)} / p99 ${ms(detail.p99Ms)} ms`,
      `${fx}; ${detail.requests} sequential requests, ${detail.errors} errors`,
    );
    row(
      'GET /v1/leads?stage=mql',
      `p50 ${ms(listMql.p50Ms)} / p99 ${ms(listMql.p99Ms)} ms`,
      `${fx}; ${listMql.requests} sequential requests, ${listMql.errors} errors`,
    );
  }
  const matching = r.ruleMatching;
  const us = (value: number) => value.toFixed(2);
  row(
    'random glob on a URL',
    `p99 ${us(matching.randomGlobUs.p99)} / max ${us(matching.randomGlobUs.max)} µs`,
    `${n(matching.randomGlobUs.samples)} schema-valid globs (≤ 512 chars, ≤ 16 *) on URLs ≤ 2,048 chars, per match`,
  );
  for (const worst of matching.costliest) {
    row(
      `costliest rules (${worst.shape})`,
      `p99 ${ms(worst.perEventMs.p99)} / max ${ms(worst.perEventMs.max)} ms`,
      `${worst.rules} page_view rules at the match budget, per event at the protocol's limits (p50 ${worst.perEventMs.p50.toFixed(2)} ms)`,
    );
  }
  const nn = r.noisyNeighbour;
  const quietRow = (name: string, q: typeof nn.quietAlone) =>
    row(
      name,
      `p50 ${ms(q.p50Ms)} / p99 ${ms(q.p99Ms)} ms`,
      `${q.batches} batches paced at 70 ev/s, max ${ms(q.maxMs)} ms, ${JSON.stringify(q.statuses)}`,
    );
  quietRow('quiet site alone', nn.quietAlone);
  quietRow('quiet site beside a noisy one', nn.quietBeside);
  row(
    'noisy site',
    `publish ${nn.noisy.publish.status} in ${n(nn.noisy.publish.ms)} ms`,
    `costliest rules; its costly batches ${JSON.stringify(nn.noisy.batches)} (limit ${n(nn.siteLimitPerMinute)} events/min); backtests ${JSON.stringify(nn.noisy.previews.statuses)}, slowest ${n(nn.noisy.previews.maxMs)} ms (budget ${n(nn.previewBudgetMs)} ms)`,
  );
  const size = r.sdk.bytes;
  row(
    'lb.js bytes',
    size ? `${n(size.raw)} / ${n(size.gzip)} / ${n(size.brotli)}` : '–',
    'raw / gzip -9 / brotli',
  );
  const batch = r.sdk.batch;
  row(
    'SDK batch of 10',
    'error' in batch ? '–' : `p50 ${ms(batch.p50Ms)} / p99 ${ms(batch.p99Ms)} ms`,
    'error' in batch ? batch.error : 'record 10 events, build, send to a fake fetch (happy-dom)',
  );
  row(
    'verification',
    r.verified ? 'ok' : 'FAILED',
    'every acknowledged event stored exactly once; nothing of a 503 stored',
  );
  return lines.join('\n');
}
