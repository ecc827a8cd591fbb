/**
 * The end-to-end stack, in process: a real collector listening on a port (PGlite in a temp
 * folder, or a fresh PostgreSQL database), the demo site served with its own scoring rules, a
 * webhook receiver that verifies signatures, the typed client, and Chromium.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createLeadbeamClient,
  type LeadbeamClient,
  type LeadEvent,
  type WebhookEvent,
} from '@leadbeam/client';
import {
  type Config,
  createSite,
  openConfiguredDatabase,
  parseConfig,
  type RunningCollector,
  silentLogger,
  startCollector,
} from '@leadbeam/collector';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import {
  createTestDatabase,
  type DatabaseKind,
  type TestDatabase,
} from '../../collector/src/testing/test-databases.ts';
import { startWebhookReceiver } from '../../examples/backend/webhook-receiver.ts';
import { serveSite } from '../../examples/site/serve.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'e2e-collector-secret-0123456789abcdef';

/** The databases the journey scenarios run on: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const E2E_DATABASES: DatabaseKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Starts everything; `close()` stops it all and removes what it made. */
export async function startStack(kind: DatabaseKind = 'pglite') {
  ensureSdkBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'leadbeam-e2e-'));
  let postgres: TestDatabase | undefined;
  if (kind === 'postgres') {
    postgres = await createTestDatabase('postgres');
    await postgres.close();
  }
  const env = {
    PORT: '0',
    HOST: '127.0.0.1',
    LEADBEAM_DATA_DIR: dataDir,
    LEADBEAM_SECRET: SECRET,
    // The test's webhook receiver listens on 127.0.0.1.
    LEADBEAM_WEBHOOK_PRIVATE_TARGETS: 'true',
    ...(postgres?.url ? { DATABASE_URL: postgres.url } : {}),
  };
  const config = parseConfigOrThrow(env);
  const database = await openConfiguredDatabase(config);
  const rules = JSON.parse(readFileSync(join(ROOT, 'examples/site/scoring.json'), 'utf8'));
  const keys = await createSite(database.db, { name: 'Acme Pipelines (e2e)', rules });
  await database.close();

  let collector: RunningCollector = await startCollector(config, silentLogger, SECRET);
  const port = new URL(collector.url).port;
  const site = await serveSite({ port: 0, collectorUrl: collector.url, publicKey: keys.publicKey });
  const client = createLeadbeamClient({ baseUrl: collector.url, secretKey: keys.secretKey });

  const webhooks: WebhookEvent[] = [];
  // The receiver needs its URL subscribed before the secret exists: it reads this list per delivery.
  const webhookSecrets: string[] = [];
  const receiver = await startWebhookReceiver({
    secret: webhookSecrets,
    onEvent: (event) => void webhooks.push(event),
  });
  const created = await client.createWebhook({ url: `${receiver.url}/` });
  if (!created.ok) throw new Error(`could not create the webhook: ${created.error.message}`);
  webhookSecrets.push(created.value.secret);

  let running = true;
  return {
    kind,
    keys,
    site,
    client,
    /** Verified webhook events, in arrival order. */
    webhooks,
    get collectorUrl() {
      return collector.url;
    },
    /** Stops the collector (finishing in-flight requests); the port is free until `restartCollector`. */
    async stopCollector() {
      running = false;
      await collector.close();
    },
    /** Starts the collector again on the same port and database. */
    async restartCollector() {
      collector = await startCollector(parseConfigOrThrow({ ...env, PORT: port }), silentLogger, SECRET);
      running = true;
    },
    async close() {
      await site.close();
      await receiver.close();
      if (running) await collector.close();
      await postgres?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function parseConfigOrThrow(env: Record<string, string>): Config {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.config;
}

/** Builds `sdk/dist/lb.js` when a source file is newer than it (the collector serves it as /lb.js). */
function ensureSdkBuilt(): void {
  const bundle = join(ROOT, 'sdk/dist/lb.js');
  const built = statOrNull(bundle)?.mtimeMs ?? 0;
  const sources = readdirSync(join(ROOT, 'sdk/src'), { recursive: true, encoding: 'utf8' });
  const newest = Math.max(...sources.map((file) => statOrNull(join(ROOT, 'sdk/src', file))?.mtimeMs ?? 0));
  if (newest > built) {
    execFileSync('npx', ['-y', 'pnpm@10.34.8', '--filter', '@leadbeam/sdk', 'build'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }
}

const statOrNull = (path: string) => {
  try {
    return statSync(path);
  } catch {
    return null;
  }
};

/**
 * Headless Chromium says "HeadlessChrome" in its user agent, which the collector rightly drops as
 * a bot. A desktop Chrome user agent is set for the whole browser (a per-context override does not
 * reach beacons and keepalive requests sent while a page unloads).
 */
const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/**
 * Starts the stack and Chromium before a suite's tests and stops both after them (browser first).
 * The returned object is filled in by `beforeAll`: read its fields inside tests and hooks.
 */
export function useStackAndBrowser(kind: DatabaseKind = 'pglite'): { stack: Stack; browser: Browser } {
  const running = {} as { stack: Stack; browser: Browser };
  beforeAll(async () => {
    [running.stack, running.browser] = await Promise.all([startStack(kind), launchBrowser()]);
  });
  afterAll(async () => {
    await running.browser?.close();
    await running.stack?.close();
  });
  return running;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-agent=${DESKTOP_CHROME_UA}`,
    ],
  });
}

/** A fresh visitor: own cookies and storage, downloads accepted. */
export async function openVisitor(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true });
  return { context, page: await context.newPage() };
}

/** Waits until the SDK has loaded on the page. */
export async function sdkReady(page: Page): Promise<void> {
  await page.waitForFunction(
    () => typeof (window as { leadbeam?: { track?: unknown } }).leadbeam?.track === 'function',
  );
}

/**
 * Polls `probe` until it answers something other than undefined; fails with the last answer after
 * `timeoutMs`. Server-side effects are awaited this way, never with fixed sleeps.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  // A bound, not a timing check: generous, as CI runs the other suites beside this one.
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every stored event of a lead (by id or email), oldest first; empty while the lead is unknown. */
export async function eventsOf(client: LeadbeamClient, lead: string): Promise<LeadEvent[]> {
  const events: LeadEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.leadEvents(lead, { limit: 200, ...(cursor ? { cursor } : {}) });
    if (!page.ok) {
      if (page.error.code === 'not_found') return [];
      throw new Error(page.error.message);
    }
    events.push(...page.value.data);
    cursor = page.value.nextCursor ?? undefined;
  } while (cursor);
  return events.reverse();
}

/** Waits until the lead has an event matching `match`, then answers all its events. */
export function eventuallyEvent(
  client: LeadbeamClient,
  lead: string,
  what: string,
  match: (event: LeadEvent) => boolean,
): Promise<LeadEvent[]> {
  return eventually(what, async () => {
    const events = await eventsOf(client, lead);
    return events.some(match) ? events : undefined;
  });
}

/** The path of an event's page URL (`/pricing.html`). */
export const pathOf = (event: LeadEvent) => (event.url ? new URL(event.url).pathname : null);

/** A unique work email per visitor, so scenarios never see each other's leads. */
let visitors = 0;
export const workEmail = (name: string) => `${name}.${process.pid}.${++visitors}@northwind.test`;

/** The SDK as pages see it (`window.leadbeam`). */
export type LeadbeamWindow = {
  leadbeam: {
    identify(email: string, traits?: Record<string, string>): void;
    track(name: string, props?: Record<string, string>): void;
    consent(granted: boolean): void;
  };
};

/** `leadbeam.identify(email)` in the page. */
export const identifyIn = (page: Page, email: string) =>
  page.evaluate((address) => (window as unknown as LeadbeamWindow).leadbeam.identify(address), email);

/**
 * `leadbeam.track(name)` in the page. Events leave the outbox in order, so once this marker is
 * stored, everything the page recorded before it is stored too.
 */
export const trackIn = (page: Page, name: string) =>
  page.evaluate((event) => (window as unknown as LeadbeamWindow).leadbeam.track(event), name);

/** Makes the SDK send what it holds now, as it does when the page is hidden or left (`pagehide`). */
export const hidePage = (page: Page) =>
  page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
