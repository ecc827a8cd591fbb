/** A load generator that behaves like many SDKs: batches with fresh event ids, and a ledger of what was acknowledged. */
import { randomUUID } from 'node:crypto';

export type SentBatch = { body: string; ids: string[] };

export type Load = {
  /** Event ids of every batch answered 2xx. */
  acknowledged: Set<string>;
  /** The batch each device still had to send when the load stopped: a real SDK keeps and resends it. */
  unacknowledged: SentBatch[];
  /** Answers by status (`error` for a connection that failed), with Retry-After seen on 429/503. */
  statuses: Map<number | 'error', number>;
  retryAfterMissing: number;
  stop(): Promise<void>;
};

/** Posts batches of `batchSize` page views from `workers` devices in a loop until stopped. */
export function startLoad(options: {
  url: () => string;
  publicKey: string;
  workers?: number;
  batchSize?: number;
  pauseMs?: number;
}): Load {
  const load: Load = {
    acknowledged: new Set(),
    unacknowledged: [],
    statuses: new Map(),
    retryAfterMissing: 0,
    stop: async () => {},
  };
  let running = true;
  const count = (status: number | 'error') => load.statuses.set(status, (load.statuses.get(status) ?? 0) + 1);

  const worker = async (n: number) => {
    const device = `load-device-${n}-${randomUUID().slice(0, 8)}`;
    let sequence = 0;
    const nextBatch = (): SentBatch => {
      const ids = Array.from({ length: options.batchSize ?? 5 }, () => randomUUID());
      const now = new Date().toISOString();
      const body = JSON.stringify({
        site: options.publicKey,
        anonymousId: device,
        sessionId: `${device}-s`,
        sentAt: now,
        events: ids.map((id) => ({
          id,
          type: 'page_view',
          ts: now,
          url: `https://acme.test/p/${n}/${sequence++}`,
        })),
      });
      return { body, ids };
    };
    // Like the SDK: a batch is resent, same ids, until it is acknowledged.
    let batch = nextBatch();
    while (running) {
      const answer = await postBatch(options.url(), batch.body);
      count(answer.status);
      if (answer.status === 200) {
        for (const id of batch.ids) load.acknowledged.add(id);
        batch = nextBatch();
      } else {
        if ((answer.status === 503 || answer.status === 429) && !answer.retryAfter) load.retryAfterMissing++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
    load.unacknowledged.push(batch);
  };
  const workers = Array.from({ length: options.workers ?? 8 }, (_, n) => worker(n));
  load.stop = async () => {
    running = false;
    await Promise.all(workers);
  };
  return load;
}

/** One POST as the SDK sends it; a failed connection is `error`. */
export async function postBatch(
  url: string,
  body: string,
): Promise<{ status: number | 'error'; retryAfter: string | null; body: unknown }> {
  try {
    const response = await fetch(`${url}/v1/collect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': 'Mozilla/5.0 Chrome/131.0' },
      body,
      signal: AbortSignal.timeout(20_000),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: await response.json(),
    };
  } catch {
    return { status: 'error', retryAfter: null, body: null };
  }
}

/** Waits until `check` is true, polling every 100 ms, for at most `ms`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  ms: number,
  what: string,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
