import { expect, test, vi } from 'vitest';
import { pageKey } from './auto-capture/page-views.ts';
import { installCollector, load, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

const flushed = async () => {
  await vi.advanceTimersByTimeAsync(1000);
};

test('a page view on load, with title, referrer and the page tags', async () => {
  openPage('https://acme.test/pricing', '<meta name="lb:tags" content="pricing, high-intent,not valid!,">');
  Object.defineProperty(document, 'referrer', { configurable: true, value: 'https://www.google.com/' });
  const collector = installCollector();
  load();
  await flushed();
  expect(collector.eventsOf('page_view')).toEqual([
    expect.objectContaining({
      url: 'https://acme.test/pricing',
      title: 'Acme',
      referrer: 'https://www.google.com/',
      tags: ['pricing', 'high-intent', 'not', 'valid'],
    }),
  ]);
  Object.defineProperty(document, 'referrer', { configurable: true, value: '' });
});

test('SPA navigation through pushState, replaceState and popstate counts each new page once', async () => {
  const collector = installCollector();
  load();
  history.pushState({}, '', '/pricing');
  history.replaceState({}, '', '/pricing'); // same address: a router normalising state
  history.pushState({}, '', '/pricing#plans'); // hash only: an anchor, not a page
  history.replaceState({}, '', '/pricing?plan=team');
  history.pushState({}, '', '/whitepaper');
  history.back();
  window.history.replaceState({}, '', '/pricing?plan=team'); // the page back/forward restored
  window.dispatchEvent(new PopStateEvent('popstate'));
  await flushed();
  const views = collector.eventsOf('page_view');
  expect(views.map((view) => new URL(view.url).pathname + new URL(view.url).search)).toEqual([
    '/',
    '/pricing',
    '/pricing?plan=team',
    '/whitepaper',
    '/pricing?plan=team',
  ]);
  // each SPA page view names the previous page as referrer
  expect(views[3]?.referrer).toBe('https://acme.test/pricing?plan=team');
});

test('the original history methods still run', () => {
  installCollector();
  load();
  history.pushState({ step: 2 }, '', '/demo');
  expect(location.pathname).toBe('/demo');
  expect(history.state).toEqual({ step: 2 });
});

test('page() records a view on demand', async () => {
  const collector = installCollector();
  const sdk = load();
  sdk.page();
  await flushed();
  expect(collector.eventsOf('page_view')).toHaveLength(2);
});

test('a thank-you page records the conversion with its page view', async () => {
  openPage('https://acme.test/thanks', '<meta name="lb:thank-you" content="demo-request">');
  const collector = installCollector();
  load();
  await flushed();
  expect(collector.events().map((event) => event.type)).toEqual(['page_view', 'thank_you']);
  expect(collector.eventsOf('thank_you')[0]).toMatchObject({
    conversion: 'demo-request',
    url: 'https://acme.test/thanks',
  });
});

test('a SPA route to a thank-you view records it too', async () => {
  const collector = installCollector();
  load();
  document.head.innerHTML = '<meta name="lb:thank-you" content="trial-signup">';
  history.pushState({}, '', '/welcome');
  await flushed();
  expect(collector.eventsOf('thank_you').map((event) => event.conversion)).toEqual(['trial-signup']);
});

test('autoCapture: false records no page view by itself', async () => {
  const collector = installCollector();
  load({ autoCapture: false });
  history.pushState({}, '', '/pricing');
  await flushed();
  expect(collector.events()).toEqual([]);
});

test('a page is its address without the fragment', () => {
  expect(pageKey('https://a.test/x?y=1#z')).toBe('https://a.test/x?y=1');
});
