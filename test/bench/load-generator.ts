/**
 * The load generator, in its own process: POSTs bench batches to `/v1/collect` over keep-alive
 * connections (one per concurrent request, raw sockets: raw-http-client.ts), closed-loop at a
 * concurrency or paced at a rate, bounded by a batch count and a duration. Prints one JSON line:
 * statuses, latencies, the batch numbers that were acknowledged, and its own CPU time.
 */
import { buildBatch, USER_AGENTS } from './batches.ts';
import { RawHttpConnection } from './raw-http-client.ts';

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
  /** CPU the generator itself used (user + system), ms: what it took from the machine under test. */
  cpuMs: number;
};

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.path ?? '/v1/collect', spec.url);
  const cpuAtStart = process.cpuUsage();
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
    cpuMs: 0,
  };
  const requestLine = `POST ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: text/plain;charset=UTF-8\r\n`;
  // Every connection is open before the clock starts: a step measures requests, not handshakes
  // (a paced step would otherwise open its 256 connections inside its first second).
  const connections = Array.from(
    { length: spec.concurrency },
    () => new RawHttpConnection(url.hostname, Number(url.port || 80)),
  );
  await Promise.all(connections.map((connection) => connection.connect()));
  const started = performance.now();
  const deadline = started + spec.durationMs;
  let next = 0;
  const worker = async (connection: RawHttpConnection) => {
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
        const head = `${requestLine}User-Agent: ${USER_AGENTS[seq % USER_AGENTS.length] ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`;
        const reply = await connection.request(head, body);
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
  await Promise.all(connections.map(worker));
  result.durationMs = performance.now() - started;
  for (const connection of connections) connection.close();
  const cpu = process.cpuUsage(cpuAtStart);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  return result;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '-')) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  const result = await runLoad(spec);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
