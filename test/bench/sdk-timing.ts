/**
 * The SDK in happy-dom, in its own process: the time to record 10 events (page views, tracks,
 * an identify), build the batch and hand it to a fake `fetch` that acknowledges at once.
 */
import { Window } from 'happy-dom';
import { percentile } from './stats.ts';

const iterations = Number(JSON.parse(process.argv[2] ?? '{}').iterations ?? 300);
const window = new Window({ url: 'https://acme.test/pricing' });
const globals = globalThis as Record<string, unknown>;
for (const name of [
  'window',
  'document',
  'navigator',
  'location',
  'history',
  'localStorage',
  'sessionStorage',
  'screen',
])
  globals[name] = (window as unknown as Record<string, unknown>)[name];
globals.addEventListener = window.addEventListener.bind(window);
globals.removeEventListener = window.removeEventListener.bind(window);

let acknowledged: (() => void) | null = null;
let bodies = 0;
globals.fetch = async (_url: string, init: { body: string }) => {
  bodies += JSON.parse(init.body).events.length;
  queueMicrotask(() => setImmediate(() => acknowledged?.()));
  return new Response(JSON.stringify({ accepted: 10, duplicates: 0, rejected: [] }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
};

const { createLeadbeam } = await import('../../sdk/src/index.ts');
const leadbeam = createLeadbeam({ site: 'pk_bench', api: 'https://collect.acme.test', autoCapture: false });
const times: number[] = [];
for (let i = 0; i < iterations + 20; i++) {
  const started = performance.now();
  const done = new Promise<void>((resolve) => {
    acknowledged = resolve;
  });
  leadbeam.page();
  for (let n = 0; n < 7; n++) leadbeam.track('pricing_calculator', { seats: n, plan: 'team' });
  leadbeam.identify('jane@acme.test', { company: 'Acme' });
  leadbeam.page();
  leadbeam.flush();
  await done;
  if (i >= 20) times.push(performance.now() - started);
}
leadbeam.stop();
times.sort((a, b) => a - b);
process.stdout.write(
  `${JSON.stringify({ iterations, eventsSent: bodies, p50Ms: percentile(times, 50), p99Ms: percentile(times, 99) })}\n`,
);
process.exit(0);
