/**
 * Abuse against a real listening collector: slow clients (headers and body), a cap on open
 * connections, rate limits from the environment, and bot traffic.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../collector/src/config.ts';
import { createMemoryLogger } from '../../collector/src/logger.ts';
import { type RunningCollector, startCollector } from '../../collector/src/runtime.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { findLeaksInLogs } from '../../collector/src/testing/log-scan.ts';
import { DEMO_RULES } from '../../collector/src/testing/test-collector.ts';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../../collector/src/testing/test-databases.ts';
import { postBatch } from './helpers/load.ts';

const SECRET = 'abuse-secret-abuse-secret-abuse-secret-0001';
// PostgreSQL when there is one (it starts in a second); the embedded PGlite otherwise.
const kind = DATABASE_KINDS.includes('postgres') ? 'postgres' : 'pglite';

/** Opens a raw connection and resolves when the server closes it, with what it answered. */
function rawConnection(port: number): { socket: Socket; closed: Promise<{ ms: number; answer: string }> } {
  const started = Date.now();
  const socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk.toString();
  });
  socket.on('error', () => {});
  const closed = new Promise<{ ms: number; answer: string }>((resolve) =>
    socket.once('close', () => resolve({ ms: Date.now() - started, answer })),
  );
  return { socket, closed };
}

describe(`abuse of a listening collector on ${kind}`, () => {
  const logger = createMemoryLogger();
  let database: TestDatabase | null = null;
  let dataDir: string | null = null;
  let collector: RunningCollector;
  let publicKey = '';
  let port = 0;

  beforeAll(async () => {
    const env: Record<string, string> = {
      PORT: '0',
      LEADBEAM_SECRET: SECRET,
      LEADBEAM_HEADERS_TIMEOUT_MS: '1000',
      LEADBEAM_REQUEST_TIMEOUT_MS: '2000',
      LEADBEAM_MAX_CONNECTIONS: '20',
      LEADBEAM_RATE_LIMIT_IP: '10',
      LEADBEAM_RATE_LIMIT_SITE: '100000',
    };
    if (kind === 'postgres') {
      database = await createTestDatabase('postgres');
      env.DATABASE_URL = database.url ?? '';
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'leadbeam-abuse-'));
      env.LEADBEAM_DATA_DIR = dataDir;
    }
    const parsed = parseConfig(env);
    if (!parsed.ok) throw new Error(parsed.message);
    collector = await startCollector(parsed.config, logger, SECRET);
    port = Number(new URL(collector.url).port);
    publicKey = (await createSite(collector.database.db, { name: 'Abuse', rules: DEMO_RULES })).publicKey;
  });
  afterAll(async () => {
    await collector?.close();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('cuts off a client that sends its headers too slowly, or never', async () => {
    const silent = rawConnection(port);
    const slow = rawConnection(port);
    slow.socket.write('POST /v1/collect HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => slow.socket.write('X-Slow: 1\r\n'), 200);
    const [silentEnd, slowEnd] = await Promise.all([silent.closed, slow.closed]);
    clearInterval(drip);
    console.log(
      `[abuse] silent client cut after ${silentEnd.ms} ms, slow headers cut after ${slowEnd.ms} ms`,
    );
    expect(silentEnd.ms).toBeLessThan(5_000);
    expect(slowEnd.ms).toBeLessThan(5_000);
    expect(slowEnd.answer).toMatch(/^(HTTP\/1\.1 408|$)/);
  });

  it('cuts off a client that never finishes its body', async () => {
    const client = rawConnection(port);
    client.socket.write(
      'POST /v1/collect HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 5000\r\n\r\n{"site":',
    );
    const drip = setInterval(() => client.socket.write(' '), 200);
    const end = await client.closed;
    clearInterval(drip);
    console.log(`[abuse] unfinished body cut after ${end.ms} ms: ${end.answer.split('\r\n')[0]}`);
    expect(end.ms).toBeLessThan(6_000);
    expect(end.answer).not.toMatch(/^HTTP\/1\.1 [25]/);
    // Counted and logged at debug: a flood of abandoned uploads cannot flood the error log.
    const health = (await (await fetch(`${collector.url}/healthz`)).json()) as { abortedRequests: number };
    expect(health.abortedRequests).toBeGreaterThanOrEqual(1);
    expect(logger.lines.filter((line) => line.includes('"level":"error"'))).toEqual([]);
    expect(logger.lines.some((line) => line.includes('"request aborted by the client"'))).toBe(true);
  });

  it('refuses connections beyond LEADBEAM_MAX_CONNECTIONS and serves again once they close', async () => {
    const held = Array.from({ length: 20 }, () => rawConnection(port));
    await Promise.all(held.map(({ socket }) => new Promise((resolve) => socket.once('connect', resolve))));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const extra = rawConnection(port);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const refused = await extra.closed;
    expect(refused.answer).toBe('');
    for (const { socket } of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200);
  });

  it('limits requests per address from the environment with 429 and Retry-After', async () => {
    const now = () => new Date().toISOString();
    const statuses: (number | 'error')[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 14; i++) {
      const answer = await postBatch(
        collector.url,
        JSON.stringify({
          site: publicKey,
          anonymousId: 'abuse-device-0001',
          sessionId: 'abuse-session-0001',
          sentAt: now(),
          events: [{ id: crypto.randomUUID(), type: 'page_view', ts: now(), url: 'https://acme.test/' }],
        }),
      );
      statuses.push(answer.status);
      if (answer.status === 429) retryAfter = answer.retryAfter;
    }
    // 10 requests a minute per address; the unfinished body above already spent one of them.
    const allowed = statuses.indexOf(429);
    expect(allowed).toBe(9);
    expect(statuses).toEqual([...Array(allowed).fill(200), ...Array(14 - allowed).fill(429)]);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('logged nothing personal', () => {
    expect(findLeaksInLogs(logger.lines)).toEqual([]);
  });
});
