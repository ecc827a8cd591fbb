/**
 * The load generator, in its own process: POSTs bench batches to `/v1/collect` over keep-alive
 * connections, closed-loop at a concurrency or paced at a rate, bounded by a batch count and a
 * duration. Prints one JSON line: statuses, latencies and the batch numbers that were acknowledged.
 */
import { Agent, request } from 'node:http';
import { buildBatch, USER_AGENTS } from './batches.ts';

export type LoadSpec = {
  url: string;
  siteKey: string;
  run: string;
  step: number;
  devices: number;
  concurrency: number;
  maxBatches: number;
  durationMs: number;
  /** Paced: batches per second (latency is then counted from each batch's scheduled start). */
  rate?: number;
  /** Where the request goes; `/v1/collect` unless told. */
  path?: string;
};

export type LoadResult = {
  sent: number;
  durationMs: number;
  statuses: Record<string, number>;
  /** Batches answered 2xx. */
  acked: number[];
  /** Batches answered 503 (nothing of them may be stored). */
  refused: number[];
  acceptedEvents: number;
  duplicateEvents: number;
  retryAfter: string[];
  latenciesMs: number[];
  errors: string[];
};

type Reply = { status: number; body: string; retryAfter: string | undefined };

function post(agent: Agent, url: URL, body: string, userAgent: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': userAgent,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            retryAfter: res.headers['retry-after'] as string | undefined,
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const url = new URL(spec.path ?? '/v1/collect', spec.url);
  const result: LoadResult = {
    sent: 0,
    durationMs: 0,
    statuses: {},
    acked: [],
    refused: [],
    acceptedEvents: 0,
    duplicateEvents: 0,
    retryAfter: [],
    latenciesMs: [],
    errors: [],
  };
  const started = performance.now();
  const deadline = started + spec.durationMs;
  let next = 0;
  const worker = async () => {
    for (;;) {
      const seq = next++;
      if (seq >= spec.maxBatches) return;
      let scheduled = performance.now();
      if (spec.rate) {
        scheduled = started + (seq * 1000) / spec.rate;
        const wait = scheduled - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      if (performance.now() >= deadline) return;
      const body = JSON.stringify(
        buildBatch({ run: spec.run, step: spec.step, seq, devices: spec.devices, siteKey: spec.siteKey }),
      );
      result.sent++;
      try {
        const reply = await post(agent, url, body, USER_AGENTS[seq % USER_AGENTS.length] ?? '');
        result.latenciesMs.push(performance.now() - scheduled);
        result.statuses[reply.status] = (result.statuses[reply.status] ?? 0) + 1;
        if (reply.status >= 200 && reply.status < 300) {
          result.acked.push(seq);
          const answer = JSON.parse(reply.body) as { accepted?: number; duplicates?: number };
          result.acceptedEvents += answer.accepted ?? 0;
          result.duplicateEvents += answer.duplicates ?? 0;
        } else {
          if (reply.status === 503) result.refused.push(seq);
          if (reply.retryAfter && result.retryAfter.length < 5) result.retryAfter.push(reply.retryAfter);
          if (result.errors.length < 5) result.errors.push(`${reply.status} ${reply.body.slice(0, 200)}`);
        }
      } catch (error) {
        result.statuses.network = (result.statuses.network ?? 0) + 1;
        if (result.errors.length < 5) result.errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: spec.concurrency }, worker));
  result.durationMs = performance.now() - started;
  agent.destroy();
  return result;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await runLoad(spec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
