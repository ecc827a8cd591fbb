import { expect, test, vi } from 'vitest';
import { installCollector, load, openPage, storedOutbox, useCleanPage } from './test-harness.ts';

useCleanPage();

/** Clicks, and reports whether anything prevented the default (happy-dom's navigation is stopped after). */
const click = (selector: string, init: MouseEventInit = {}, type = 'click') => {
  let prevented: boolean | undefined;
  const stopNavigation = (event: Event) => {
    prevented = event.defaultPrevented;
    event.preventDefault();
  };
  window.addEventListener(type, stopNavigation, { once: true });
  document
    .querySelector(selector)
    ?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, ...init }));
  return { prevented };
};

const page = `
  <a id="pdf" href="/files/guide.PDF"><span>Guide</span></a>
  <a id="attr" href="/export?id=7" download>Export</a>
  <a id="tagged" href="/resources/roi" data-lb-download="whitepaper, roi">ROI</a>
  <a id="newtab" href="https://cdn.acme.test/deck.pptx" target="_blank">Deck</a>
  <a id="plain" href="/pricing">Pricing</a>`;

test('file extensions, the download attribute and data-lb-download each count, beaconed at once', () => {
  openPage('https://acme.test/resources', '', page);
  const collector = installCollector();
  load();
  for (const id of ['#pdf span', '#attr', '#tagged', '#newtab', '#plain']) click(id);
  const downloads = collector.beaconed.flatMap((batch) => batch.events).filter((e) => e.type === 'download');
  expect(downloads).toEqual([
    expect.objectContaining({
      href: 'https://acme.test/files/guide.PDF',
      url: 'https://acme.test/resources',
    }),
    expect.objectContaining({ href: 'https://acme.test/export?id=7' }),
    expect.objectContaining({ href: 'https://acme.test/resources/roi', tags: ['whitepaper', 'roi'] }),
    expect.objectContaining({ href: 'https://cdn.acme.test/deck.pptx' }),
  ]);
});

test('the click is never prevented and the event is in the outbox before the click ends', () => {
  openPage('https://acme.test/resources', '', page);
  installCollector();
  load();
  let stored = 0;
  document.addEventListener('click', () => {
    stored = storedOutbox().q.filter((x) => x.e.type === 'download').length;
  });
  expect(click('#newtab').prevented).toBe(false);
  expect(click('#attr').prevented).toBe(false);
  expect(stored).toBe(2);
});

test('beaconed downloads are confirmed by a later fetch, and counted once', async () => {
  openPage('https://acme.test/resources', '', page);
  const collector = installCollector();
  load();
  click('#pdf');
  await vi.advanceTimersByTimeAsync(20_000);
  expect(storedOutbox().q).toEqual([]);
  expect(collector.eventsOf('download')).toHaveLength(1);
});
