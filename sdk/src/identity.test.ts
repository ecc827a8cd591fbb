import { expect, test, vi } from 'vitest';
import { continueSession, readUtm } from './session.ts';
import {
  installCollector,
  load,
  openPage,
  storedId,
  storedOutbox,
  unload,
  useCleanPage,
} from './test-harness.ts';

useCleanPage();

const cookie = (name: string) => document.cookie.match(`(?:^|; )${name}=([^;]*)`)?.[1];

test('the anonymous id lives in a first-party cookie and localStorage, and survives losing either', async () => {
  const collector = installCollector();
  let sdk = load();
  await vi.advanceTimersByTimeAsync(1000);
  const id = collector.fetched[0]?.anonymousId as string;
  expect(storedId()).toBe(id);
  expect(cookie('lb_id')).toBe(id);

  unload(sdk);
  localStorage.removeItem('lb_id'); // storage cleared: the cookie brings it back
  sdk = load();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.fetched[1]?.anonymousId).toBe(id);
  expect(storedId()).toBe(id);

  unload(sdk);
  // biome-ignore lint/suspicious/noDocumentCookie: the test removes the cookie
  document.cookie = 'lb_id=;path=/;max-age=0'; // cookie gone: localStorage brings it back
  load();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.fetched[2]?.anonymousId).toBe(id);
  expect(cookie('lb_id')).toBe(id);
});

test('the cookie is set for 13 months, site-wide, SameSite=Lax, Secure on https', () => {
  const set = vi.spyOn(document, 'cookie', 'set');
  installCollector();
  load();
  expect(set).toHaveBeenCalledWith(
    expect.stringMatching(/^lb_id=[\da-f-]{36};path=\/;max-age=34214400;samesite=lax;secure$/),
  );
});

test('a session continues within 30 minutes of inactivity and rotates after', async () => {
  const collector = installCollector();
  const sdk = load({ autoCapture: false });
  sdk.track('a');
  await vi.advanceTimersByTimeAsync(29 * 60_000);
  sdk.track('b');
  await vi.advanceTimersByTimeAsync(31 * 60_000);
  sdk.track('c');
  await vi.advanceTimersByTimeAsync(1000);
  const sessions = collector.fetched.map((batch) => batch.sessionId);
  expect(sessions[0]).toBe(sessions[1]);
  expect(sessions[2]).not.toBe(sessions[1]);
  expect(new Set(collector.fetched.map((batch) => batch.anonymousId)).size).toBe(1);
});

test('the session and its UTM are shared by page loads (and tabs)', async () => {
  openPage('https://acme.test/?utm_source=linkedin&utm_campaign=abm');
  const collector = installCollector();
  const first = load();
  await vi.advanceTimersByTimeAsync(1000);
  unload(first);
  openPage('https://acme.test/pricing');
  load();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.fetched[1]?.sessionId).toBe(collector.fetched[0]?.sessionId);
  expect(collector.fetched[1]?.context?.utm).toEqual({ source: 'linkedin', campaign: 'abm' });
});

test('session decisions and UTM reading', () => {
  const now = 1_000_000_000;
  const session = { i: 'abc', t: now, u: { source: 'x' } };
  expect(continueSession(session, now + 1000, 'https://a.test/')).toEqual({ ...session, t: now + 1000 });
  const next = continueSession(session, now + 30 * 60_000, 'https://a.test/?utm_medium=cpc');
  expect(next.i).not.toBe('abc');
  expect(next.u).toEqual({ medium: 'cpc' });
  expect(readUtm('https://a.test/?utm_source=&ref=1')).toBeUndefined();
  expect(readUtm(`https://a.test/?utm_term=${'t'.repeat(300)}`)?.term).toHaveLength(128);
});

test('identify sends the normalised email with clean traits', async () => {
  const collector = installCollector();
  const sdk = load({ autoCapture: false });
  sdk.identify('  Jane@Acme.TEST ', {
    name: 'Jane Doe',
    company: 'Acme',
    employees: 250,
    vip: true,
    nested: {},
  } as never);
  sdk.identify('not an email');
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('identify')).toEqual([
    expect.objectContaining({
      email: 'jane@acme.test',
      traits: { name: 'Jane Doe', company: 'Acme', employees: 250, vip: true },
    }),
  ]);
});

test('reset starts a new anonymous id and session; earlier events keep the old identity', async () => {
  const collector = installCollector();
  const sdk = load({ autoCapture: false });
  sdk.identify('jane@acme.test');
  sdk.reset();
  sdk.track('after_logout');
  await vi.advanceTimersByTimeAsync(1000);
  const [before, after] = collector.fetched;
  expect(before?.events.map((event) => event.type)).toEqual(['identify']);
  expect(after?.events.map((event) => event.type)).toEqual(['track']);
  expect(after?.anonymousId).not.toBe(before?.anonymousId);
  expect(after?.sessionId).not.toBe(before?.sessionId);
  expect(storedId()).toBe(after?.anonymousId);
  expect(storedOutbox().q).toEqual([]);
});

test.each([
  ['Global Privacy Control', 'globalPrivacyControl', true],
  ['Do Not Track', 'doNotTrack', '1'],
])('%s turns identification off, tracking stays on', async (_, property, value) => {
  Object.defineProperty(navigator, property, { configurable: true, value });
  openPage('https://acme.test/', '', '<form><input type="email" value="jane@acme.test"></form>');
  const collector = installCollector();
  const sdk = load();
  sdk.identify('jane@acme.test');
  document.querySelector('form')?.dispatchEvent(new SubmitEvent('submit', { bubbles: true }));
  sdk.track('still_tracked');
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.events().map((event) => event.type)).toEqual(['page_view', 'track']);
  Object.defineProperty(navigator, property, { configurable: true, value: undefined });
});
