import { readFileSync } from 'node:fs';
import { expect, test, vi } from 'vitest';
import { API, installCollector, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

/**
 * Runs the minified script-tag build itself (property mangling, terser's unsafe options) on a
 * page with a download link and a show/hide form, and checks what reaches the collector.
 */
test('the built lb.js captures and sends valid batches', async () => {
  const code = readFileSync(`${import.meta.dirname}/../dist/lb.js`, 'utf8');
  openPage(
    'https://acme.test/demo?utm_source=ads',
    '<meta name="lb:tags" content="demo">',
    `<a id="dl" href="/guide.pdf">Guide</a>
     <form data-lb-form="demo-request">
       <div data-lb-step="contact"><input type="email" value="jane@acme.test"><button type="button" id="next">Next</button></div>
       <div data-lb-step="company" style="display:none"><input id="company"><button id="send">Send</button></div>
     </form>`,
  );
  const collector = installCollector();
  const script = document.createElement('script');
  script.type = 'text/x-not-loaded';
  script.src = `${API}/lb.js`;
  script.dataset.site = 'pk_test_site';
  Object.defineProperty(document, 'currentScript', { configurable: true, value: script });
  const page = window as unknown as { leadbeam: unknown };
  page.leadbeam = [['track', 'queued']];
  // biome-ignore lint/security/noGlobalEval: running the built script as a page would
  window.eval(code);
  Object.defineProperty(document, 'currentScript', { configurable: true, value: null });

  window.addEventListener('click', (event) => event.preventDefault()); // keep happy-dom on the page
  document.querySelector<HTMLElement>('#dl')?.click();
  document.querySelector('#next')?.addEventListener('click', () => {
    (document.querySelector('[data-lb-step="contact"]') as HTMLElement).style.display = 'none';
    (document.querySelector('[data-lb-step="company"]') as HTMLElement).style.display = 'block';
  });
  document.querySelector<HTMLElement>('#next')?.click();
  await vi.advanceTimersByTimeAsync(0);
  document.querySelector('form')?.dispatchEvent(new SubmitEvent('submit', { bubbles: true }));
  history.pushState({}, '', '/thanks');
  (page.leadbeam as { push(call: unknown[]): void }).push([
    'identify',
    'Jane@Acme.test',
    { company: 'Acme' },
  ]);
  await vi.advanceTimersByTimeAsync(20_000);

  expect(collector.events().map((event) => event.type)).toEqual([
    'track',
    'page_view',
    'download',
    'form_step',
    'form_step',
    'identify',
    'form_submit',
    'page_view',
    'identify',
  ]);
  expect(collector.fetched[0]?.context?.utm).toEqual({ source: 'ads' });
  expect(localStorage.getItem('lb_q')).toContain('"q":[]');
});
