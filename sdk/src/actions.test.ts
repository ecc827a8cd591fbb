import { expect, test } from 'vitest';
import { installCollector, load, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

test('a click on (or inside) a data-lb-action element records the action, beaconed at once', () => {
  openPage(
    'https://acme.test/thanks',
    '',
    '<a href="https://cal.acme.test/book" data-lb-action="book-call"><b>Book a call</b></a><button id="x">x</button>',
  );
  const collector = installCollector();
  load();
  window.addEventListener('click', (event) => event.preventDefault()); // keep happy-dom from navigating
  document.querySelector('b')?.click();
  document.querySelector('#x')?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
  const actions = collector.beaconed.flatMap((batch) => batch.events).filter((e) => e.type === 'action');
  expect(actions).toEqual([expect.objectContaining({ name: 'book-call', url: 'https://acme.test/thanks' })]);
});
