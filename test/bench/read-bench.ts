/**
 * Lead reads as a CRM sync makes them, one at a time over a keep-alive connection:
 * `GET /v1/leads/{id}` on random fixture leads and `GET /v1/leads?stage=mql`.
 */
import { fixtureLeadId } from './load-fixture.ts';
import { percentile } from './stats.ts';

export type ReadFigures = {
  requests: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  statuses: Record<string, number>;
};

async function timeRequests(
  count: number,
  urlOf: (i: number) => string,
  secretKey: string,
): Promise<ReadFigures> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const response = await fetch(urlOf(i), { headers: { authorization: `Bearer ${secretKey}` } });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    if (response.status !== 200) errors++;
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
  const probe = await fetch(`${url}/v1/leads?limit=1`, {
    headers: { authorization: `Bearer ${options.secretKey}` },
  });
  await probe.arrayBuffer();
  if (probe.status === 404) return null;
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  // Warm-up: the first requests pay for prepared statements and JIT.
  await timeRequests(
    20,
    () => `${url}/v1/leads/${fixtureLeadId(options.siteId, 1 + Math.floor(random() * options.leads))}`,
    options.secretKey,
  );
  const detail = await timeRequests(
    options.requests,
    () => `${url}/v1/leads/${fixtureLeadId(options.siteId, 1 + Math.floor(random() * options.leads))}`,
    options.secretKey,
  );
  const listMql = await timeRequests(options.requests, () => `${url}/v1/leads?stage=mql`, options.secretKey);
  return { detail, listMql };
}
