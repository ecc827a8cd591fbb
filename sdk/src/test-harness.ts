import { type CollectAnswer, validateBatch, type WireBatch, type WireEventInput } from '@leadbeam/protocol';
import { afterEach, beforeEach, expect, vi } from 'vitest';
import { createLeadbeam, type Leadbeam, type LeadbeamOptions } from './create-leadbeam.ts';

/** Test support (not part of the build): a fake collector, a clean page, and SDK instances. */

export const SITE = 'pk_test_site';
export const API = 'https://collect.acme.test';

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

export type FakeCollector = {
  /** Batches received through fetch, in order. */
  fetched: WireBatch[];
  /** Batches received through sendBeacon, in order. */
  beaconed: WireBatch[];
  /** Next answers to give (then 200 with the usual JSON). */
  answers: Answer[];
  /** Every distinct event received, in the order first seen. */
  events(): WireEventInput[];
  /** Events of one type. */
  eventsOf<T extends WireEventInput['type']>(type: T): Extract<WireEventInput, { type: T }>[];
};

/** Problems found in what the SDK sent; checked after every test (a throw in fetch would look like a network error). */
const problems: unknown[] = [];

/** Parses a body and records a problem unless it is a batch the collector accepts in full. */
export function expectValidBatch(body: string): WireBatch {
  const batch = JSON.parse(body) as WireBatch;
  const result = validateBatch(batch);
  if (!result.ok) problems.push(result.message);
  else if (result.rejected.length) problems.push(...result.rejected);
  if (new TextEncoder().encode(body).length > 64 * 1024) problems.push('body over 64 KiB');
  return batch;
}

/** Throws when anything the SDK sent so far would not be accepted in full. */
export function expectNoProblems(): void {
  expect(problems.splice(0)).toEqual([]);
}

/** Replaces fetch and sendBeacon with a collector that validates everything it gets. */
export function installCollector(): FakeCollector {
  const collector: FakeCollector = {
    fetched: [],
    beaconed: [],
    answers: [],
    events() {
      const seen = new Map<string, WireEventInput>();
      for (const batch of [...collector.beaconed, ...collector.fetched])
        for (const event of batch.events) if (!seen.has(event.id)) seen.set(event.id, event);
      return [...seen.values()].sort((a, b) => a.ts.localeCompare(b.ts));
    },
    eventsOf(type) {
      return collector.events().filter((event) => event.type === type) as never;
    },
  };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      // keepalive may be `1` in the minified build: fetch reads it as a boolean
      if (url !== `${API}/v1/collect` || init.method !== 'POST' || !init.keepalive)
        problems.push(`bad request ${url} ${init.method} keepalive=${init.keepalive}`);
      // a string body goes as text/plain: no CORS preflight
      if (typeof init.body !== 'string') problems.push('body is not a string');
      const batch = expectValidBatch(init.body as string);
      collector.fetched.push(batch);
      const answer = collector.answers.shift() ?? { status: 200 };
      const body: CollectAnswer | unknown = answer.body ?? {
        accepted: batch.events.length,
        duplicates: 0,
        rejected: [],
      };
      return new Response(JSON.stringify(body), {
        status: answer.status,
        headers: { 'content-type': 'application/json', ...answer.headers },
      });
    }),
  );
  Object.defineProperty(navigator, 'sendBeacon', {
    configurable: true,
    value: vi.fn((url: string, body: string) => {
      if (url !== `${API}/v1/collect`) problems.push(`beacon to ${url}`);
      collector.beaconed.push(expectValidBatch(body));
      return true;
    }),
  });
  return collector;
}

const running: Leadbeam[] = [];

/** Starts the SDK like a page load; stopped after the test. */
export function load(options: Partial<LeadbeamOptions> = {}): Leadbeam {
  const sdk = createLeadbeam({ site: SITE, api: API, ...options });
  running.push(sdk);
  return sdk;
}

/** Stops an instance, as when the page unloads (the outbox stays in localStorage). */
export function unload(sdk: Leadbeam): void {
  sdk.stop();
}

/** Resets the page to `url` with the given head and body markup. */
export function openPage(url = 'https://acme.test/', head = '', body = ''): void {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  document.head.innerHTML = head;
  document.body.innerHTML = body;
  document.title = 'Acme';
}

/** Hides the page (tab switch or navigation) so that the SDK beacons. */
export function hidePage(): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'hidden' });
  document.dispatchEvent(new Event('visibilitychange'));
  Object.defineProperty(document, 'visibilityState', { configurable: true, value: 'visible' });
}

/** The anonymous id as stored in localStorage (JSON, like every SDK value there). */
export function storedId(): string | undefined {
  const raw = localStorage.getItem('lb_id');
  return raw === null ? undefined : JSON.parse(raw);
}

/** The outbox record as stored. */
export function storedOutbox(): { q: { k: string; e: WireEventInput; f?: number }[]; d: number; n?: number } {
  return JSON.parse(localStorage.getItem('lb_q') ?? '{"q":[],"d":0}');
}

/** Clean storage, page, globals and fake timers around every test of a file that calls this. */
export function useCleanPage(): void {
  beforeEach(() => {
    vi.useFakeTimers();
    localStorage.clear();
    // biome-ignore lint/suspicious/noDocumentCookie: clearing the SDK's own cookie
    document.cookie = 'lb_id=;path=/;max-age=0';
    openPage();
  });
  afterEach(() => {
    for (const sdk of running.splice(0)) sdk.stop();
    expectNoProblems();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });
}
