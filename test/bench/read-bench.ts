/**
 * Lead reads as a CRM sync makes them, one at a time over a keep-alive connection:
 * `GET /v1/leads/{id}` on random fixture leads and `GET /v1/leads?stage=mql`.
 *
 * The client is `node:http` with a keep-alive Agent (one request at a time, so its CPU does not
 * crowd the server as the ingest generator's did: raw-http-client.ts): the global `fetch`
 * (undici) costs a millisecond or more per request in Node 20 on its own, which the figure would
 * then count as the server's.
 */
import { Agent, request } from 'node:http';
import { fixtureLeadId } from './load-fixture.ts';
import { percentile } from './stats.ts';

export type ReadFigures = {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<string, number>;
};

/** One GET, its body read to the end; answers the status. */
function get(agent: Agent, url: string, secretKey: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Bearer ${secretKey}` } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

async function timeRequests(
  agent: Agent,
  count: number,
  urlOf: (i: number) => string,
  secretKey: string,
): Promise<ReadFigures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const status = await get(agent, urlOf(i), secretKey);
    latencies.push(performance.now() - started);
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status !== 200) errors++;
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: count,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    statuses,
  };
}

/** Null when the collector does not serve the lead API yet. */
export async function measureReads(
  url: string,
  options: { siteId: string; secretKey: string; leads: number; requests: number },
): Promise<{ detail: ReadFigures; listMql: ReadFigures } | null> {
  // One connection, kept alive: the reads are sequential, as a CRM sync makes them.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return await measureWith(agent, url, options);
  } finally {
    agent.destroy();
  }
}

async function measureWith(
  agent: Agent,
  url: string,
  options: { siteId: string; secretKey: string; leads: number; requests: number },
): Promise<{ detail: ReadFigures; listMql: ReadFigures } | null> {
  if ((await get(agent, `${url}/v1/leads?limit=1`, options.secretKey)) === 404) return null;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const detailUrl = () =>
    `${url}/v1/leads/${fixtureLeadId(options.siteId, 1 + Math.floor(random() * options.leads))}`;
  const listUrl = () => `${url}/v1/leads?stage=mql`;
  // Warm-up, of each route: the first requests pay for prepared statements, and V8 optimises a
  // route's code only after some hundreds of calls (measured: list p99 11.0 ms over the first
  // 1,000 requests of a fresh process, then 6.6 and 8.2 ms over the next two thousands).
  const warmUp = Math.min(200, options.requests);
  await timeRequests(agent, warmUp, detailUrl, options.secretKey);
  const detail = await timeRequests(agent, options.requests, detailUrl, options.secretKey);
  await timeRequests(agent, warmUp, listUrl, options.secretKey);
  const listMql = await timeRequests(agent, options.requests, listUrl, options.secretKey);
  return { detail, listMql };
}
