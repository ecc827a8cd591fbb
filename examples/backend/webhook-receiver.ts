/**
 * A webhook receiver: verifies each delivery's Leadbeam-Signature on the raw body, prints the
 * event, answers 200; a bad or stale signature gets 400 and is never trusted.
 *
 *   WEBHOOK_SECRET=whsec_… PORT=8788 pnpm receiver
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { verifyWebhook, type WebhookEvent } from '@leadbeam/client';

export type ReceiverOptions = {
  /** The webhook's signing secret (`whsec_…`); several during a rotation. */
  secret: string | string[];
  port?: number;
  /** Called once per verified event: retries of a delivered event are acknowledged, not repeated. */
  onEvent: (event: WebhookEvent) => void | Promise<void>;
};

export type RunningReceiver = { url: string; close(): Promise<void> };

const MAX_BODY_BYTES = 1024 * 1024;
/** Event ids already handled (retries carry the same id); bounded, oldest forgotten first. */
const REMEMBERED = 10_000;

export function startWebhookReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const seen = new Set<string>();
  const server = createServer(async (request, response) => {
    const answer = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST') return answer(405, { error: 'POST deliveries here' });
    const raw = await readBody(request);
    if (raw === null) return answer(413, { error: 'body too large' });
    const verified = verifyWebhook(options.secret, request.headers, raw);
    if (!verified.ok) return answer(400, { error: verified.reason });
    if (!seen.has(verified.event.id)) {
      try {
        await options.onEvent(verified.event);
      } catch {
        return answer(500, { error: 'handler failed; Leadbeam will retry' });
      }
      seen.add(verified.event.id);
      if (seen.size > REMEMBERED) seen.delete(seen.values().next().value as string);
    }
    answer(200, { received: verified.event.id });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** One line per event: what happened to which lead. */
export function describeEvent(event: WebhookEvent): string {
  const lead = (event.data.lead ?? {}) as {
    id?: string;
    email?: string | null;
    score?: number;
    stage?: string;
  };
  const who = lead.email ?? lead.id ?? 'unknown lead';
  const details = [
    lead.score === undefined ? null : `score ${lead.score}`,
    lead.stage ? `stage ${lead.stage}` : null,
    typeof event.data.from === 'string' ? `${event.data.from} → ${String(event.data.to)}` : null,
  ].filter(Boolean);
  return `${event.createdAt}  ${event.type.padEnd(18)}  ${who}${details.length ? `  (${details.join(', ')})` : ''}`;
}

async function main(): Promise<void> {
  const secret = process.env.WEBHOOK_SECRET;
  const port = Number(process.env.PORT ?? 8788);
  if (!secret) {
    console.error(
      'Missing WEBHOOK_SECRET: create a webhook (POST /v1/webhooks) and pass the whsec_… secret it answers.',
    );
    process.exitCode = 2;
    return;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('PORT must be a port number');
    process.exitCode = 2;
    return;
  }
  const receiver = await startWebhookReceiver({
    secret: secret.split(',').map((s) => s.trim()),
    port,
    onEvent: (event) => console.log(describeEvent(event)),
  });
  console.log(`Receiving Leadbeam webhooks on ${receiver.url}/ (Ctrl+C to stop)`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => receiver.close());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
