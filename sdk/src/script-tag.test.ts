import { expect, test, vi } from 'vitest';
import type { Leadbeam } from './create-leadbeam.ts';
import { readQueue } from './queue.ts';
import { API, installCollector, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

type Page = { leadbeam?: unknown };
const page = window as unknown as Page;

/** Runs the script-tag entry as if `<script async src=… data-…>` just loaded. */
async function loadTag(attributes: Record<string, string>): Promise<Leadbeam> {
  const script = document.createElement('script');
  script.type = 'text/x-not-loaded'; // happy-dom does not fetch scripts; this keeps it quiet
  for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
  document.head.append(script);
  // what the browser sets while the tag's script runs
  Object.defineProperty(document, 'currentScript', { configurable: true, value: script });
  vi.resetModules();
  await import('./script-tag.ts');
  return page.leadbeam as never;
}

const tag = { src: `${API}/lb.js`, 'data-site': 'pk_test_site' };

test('calls queued before load are replayed in order, and push keeps working after', async () => {
  const collector = installCollector();
  page.leadbeam = [
    ['track', 'first', { n: 1 }],
    ['identify', 'jane@acme.test', { company: 'Acme' }],
    ['track', 'second'],
    ['nonsense', 1],
  ];
  const api = await loadTag(tag);
  api.push(['track', 'third']);
  api.track('fourth');
  await vi.advanceTimersByTimeAsync(1000);
  const names = collector.events().map((event) => ('name' in event ? event.name : event.type));
  expect(names).toEqual(['first', 'identify', 'second', 'page_view', 'third', 'fourth']);
  api.stop();
});

test('a function stub that queued its arguments objects is replayed too', async () => {
  const collector = installCollector();
  const stub = function (..._: unknown[]) {
    stub.q = stub.q || [];
    // biome-ignore lint/complexity/noArguments: the snippet style being supported
    stub.q.push(arguments);
  } as ((...args: unknown[]) => void) & { q?: IArguments[] };
  page.leadbeam = stub;
  stub('track', 'from_stub', { plan: 'team' });
  const api = await loadTag(tag);
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('track')).toEqual([
    expect.objectContaining({ name: 'from_stub', props: { plan: 'team' } }),
  ]);
  api.stop();
});

test('the collector defaults to the script origin; data-api overrides it', async () => {
  installCollector();
  page.leadbeam = undefined;
  const api = await loadTag({ ...tag, src: 'https://cdn.elsewhere.test/lb.js', 'data-api': API });
  api.flush();
  await vi.advanceTimersByTimeAsync(0);
  expect(fetch).toHaveBeenCalledWith(`${API}/v1/collect`, expect.anything());
  api.stop();
  vi.mocked(fetch).mockClear();
  document.head.innerHTML = '';
  page.leadbeam = undefined;
  const other = await loadTag(tag);
  other.flush();
  await vi.advanceTimersByTimeAsync(0);
  expect(fetch).toHaveBeenCalledWith(`${API}/v1/collect`, expect.anything());
  other.stop();
});

test('data-consent="required" and data-auto-identify="false" are honoured', async () => {
  openPage('https://acme.test/', '', '<form><input type="email" value="jane@acme.test"></form>');
  const collector = installCollector();
  page.leadbeam = undefined;
  const api = await loadTag({ ...tag, 'data-consent': 'required', 'data-auto-identify': 'false' });
  document.querySelector('form')?.dispatchEvent(new SubmitEvent('submit', { bubbles: true }));
  await vi.advanceTimersByTimeAsync(5000);
  expect(collector.fetched).toEqual([]);
  expect(localStorage.length).toBe(0);
  api.consent(true);
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.events().map((event) => event.type)).toEqual(['page_view']);
  api.stop();
});

test('loading the tag twice keeps the first instance', async () => {
  installCollector();
  page.leadbeam = undefined;
  const first = await loadTag(tag);
  const second = await loadTag(tag);
  expect(second).toBe(first);
  first.stop();
});

test('readQueue accepts an array, a stub with .q, or nothing', () => {
  expect(readQueue([['page']])).toEqual([['page']]);
  expect(readQueue(Object.assign(() => {}, { q: [['page']] }))).toEqual([['page']]);
  expect(readQueue(undefined)).toEqual([]);
});
