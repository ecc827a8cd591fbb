import { expect, test, vi } from 'vitest';
import { hidePage, installCollector, load, storedId, useCleanPage } from './test-harness.ts';

useCleanPage();

test('consent mode: nothing is stored or sent before consent(true), then everything goes', async () => {
  const collector = installCollector();
  const cookieWrite = vi.spyOn(document, 'cookie', 'set');
  const storageWrite = vi.spyOn(Storage.prototype, 'setItem');
  const storageRead = vi.spyOn(Storage.prototype, 'getItem');
  const sdk = load({ requireConsent: true });
  sdk.track('pricing_calculator_used');
  document.body.innerHTML = '<a href="/guide.pdf">x</a>';
  window.addEventListener('click', (event) => event.preventDefault());
  document.querySelector('a')?.click();
  hidePage();
  await vi.advanceTimersByTimeAsync(60_000);
  expect(collector.fetched).toEqual([]);
  expect(collector.beaconed).toEqual([]);
  expect(cookieWrite).not.toHaveBeenCalled();
  expect(storageWrite).not.toHaveBeenCalled();
  expect(storageRead).not.toHaveBeenCalled();
  expect(localStorage.length).toBe(0);

  sdk.consent(true);
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.events().map((event) => event.type)).toEqual(['page_view', 'track', 'download']);
  expect(storedId()).toBe(collector.fetched[0]?.anonymousId);
});

test('consent(false) drops what was kept in memory', async () => {
  const collector = installCollector();
  const sdk = load({ requireConsent: true });
  sdk.track('before_refusal');
  sdk.consent(false);
  sdk.consent(true);
  sdk.track('after_grant');
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.events().map((event) => event.type)).toEqual(['track']);
  expect(collector.eventsOf('track')[0]).toMatchObject({ name: 'after_grant' });
});

test('withdrawing consent forgets the device and stops sending', async () => {
  const collector = installCollector();
  const sdk = load();
  sdk.consent(false);
  sdk.track('after_withdrawal');
  await vi.advanceTimersByTimeAsync(60_000);
  expect(collector.fetched).toEqual([]);
  expect(storedId()).toBeUndefined();
  expect(localStorage.getItem('lb_q')).toBeNull();
  expect(document.cookie).not.toContain('lb_id=');
});

test('the same anonymous id is used again once a returning visitor consents', async () => {
  const collector = installCollector();
  const first = load();
  await vi.advanceTimersByTimeAsync(1000);
  first.stop();
  const second = load({ requireConsent: true });
  second.consent(true);
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.fetched[1]?.anonymousId).toBe(collector.fetched[0]?.anonymousId);
});
