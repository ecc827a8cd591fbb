import { normalizeEmail } from '@leadbeam/protocol';
import fc from 'fast-check';
import { expect, test, vi } from 'vitest';
import { cleanEmail } from './sanitize.ts';
import { expectNoProblems, installCollector, load, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

/**
 * "Every event the SDK can produce validates": arbitrary API calls and page markup go through the
 * SDK, and every batch it sends must be accepted by the protocol's `validateBatch` in full.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: the one difference, documented in sanitize.ts
const CONTROL = /[\0-\x1f\x7f-\x9f]/;

const anyValue = fc.oneof(
  fc.string({ maxLength: 1200 }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.object({ maxDepth: 1 }),
  fc.array(fc.integer(), { maxLength: 3 }),
);
const record = fc.dictionary(fc.string({ maxLength: 140 }), anyValue, { maxKeys: 60 });
const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', ' ', 'demo-request', 'x'.repeat(129)),
);
const email = fc.oneof(
  fc.emailAddress(),
  fc.string({ maxLength: 40 }).filter((raw) => !CONTROL.test(raw)),
  fc.constant(' Jane@Acme.TEST '),
);

const call = fc.oneof(
  fc.tuple(fc.constant('track' as const), text, fc.option(record, { nil: undefined })),
  fc.tuple(fc.constant('identify' as const), email, fc.option(record, { nil: undefined })),
  fc.tuple(fc.constant('page' as const)),
  fc.tuple(fc.constant('click' as const), fc.constantFrom('action', 'download')),
  fc.tuple(fc.constant('step' as const), fc.nat(60)),
  fc.tuple(fc.constant('submit' as const)),
);

const pageSetup = fc.record({
  path: fc.webSegment(),
  query: fc.webQueryParameters(),
  utm: fc.string({ maxLength: 200 }),
  title: fc.string({ maxLength: 700 }),
  tags: fc.array(fc.string({ maxLength: 80 }), { maxLength: 30 }),
  thankYou: text,
  formName: text,
  stepNames: fc.array(text, { minLength: 1, maxLength: 60 }),
  actionName: text,
  downloadTags: fc.string({ maxLength: 100 }),
  referrer: fc.oneof(fc.constant(''), fc.webUrl(), fc.constant('android-app://com.slack/')),
});

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

test('every batch produced from arbitrary calls and markup is accepted in full', async () => {
  await fc.assert(
    fc.asyncProperty(pageSetup, fc.array(call, { maxLength: 25 }), async (setup, calls) => {
      localStorage.clear();
      openPage(
        `https://acme.test/${setup.path}?${setup.query}&utm_source=${encodeURIComponent(setup.utm)}`,
        `<meta name="lb:tags" content="${attr(setup.tags.join(','))}"><meta name="lb:thank-you" content="${attr(setup.thankYou)}">`,
        `<a id="dl" href="/f/file.pdf" data-lb-download="${attr(setup.downloadTags)}">d</a>
         <button id="act" data-lb-action="${attr(setup.actionName)}">a</button>
         <form data-lb-form="${attr(setup.formName)}"><input type="email" value="jane@acme.test">
           ${setup.stepNames.map((name) => `<fieldset data-lb-step="${attr(name)}"><input></fieldset>`).join('')}
         </form>`,
      );
      document.title = setup.title;
      Object.defineProperty(document, 'referrer', { configurable: true, value: setup.referrer });
      window.addEventListener('click', (event) => event.preventDefault(), { once: false });
      const collector = installCollector();
      const sdk = load();
      for (const [method, a, b] of calls) {
        if (method === 'track') sdk.track(a, b as never);
        else if (method === 'identify') sdk.identify(a, b as never);
        else if (method === 'page') sdk.page();
        else if (method === 'click')
          document.querySelector<HTMLElement>(a === 'action' ? '#act' : '#dl')?.click();
        else if (method === 'step')
          document
            .querySelectorAll('fieldset input')
            [a % setup.stepNames.length]?.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
        else document.querySelector('form')?.dispatchEvent(new SubmitEvent('submit', { bubbles: true }));
      }
      await vi.advanceTimersByTimeAsync(30_000);
      sdk.stop();
      expectNoProblems();
      const tracked = calls.filter(([method, name]) => method === 'track' && `${name}`.slice(0, 128).trim());
      expect(collector.eventsOf('track')).toHaveLength(tracked.length);
      expect(localStorage.getItem('lb_q')).toContain('"q":[]');
    }),
    { numRuns: 60 },
  );
  Object.defineProperty(document, 'referrer', { configurable: true, value: '' });
});

test('the SDK accepts exactly the ASCII emails the collector accepts (control characters aside)', () => {
  fc.assert(
    fc.property(
      fc
        .oneof(
          fc.emailAddress(),
          fc.string(),
          fc.string({ unit: 'binary-ascii' }).map((s) => `${s}@acme.test`),
        )
        .filter((raw) => !CONTROL.test(raw.trim())),
      (raw) => {
        expect(cleanEmail(raw) ?? null).toBe(normalizeEmail(raw));
      },
    ),
    { numRuns: 2000 },
  );
});

// Beyond ASCII the collector is the judge (NFKC folding, invisible characters, mixed scripts):
// the SDK sends what it cannot judge in its byte budget, and its cleaning never changes the verdict.
test('what the SDK sends of any email gets the verdict the raw email would', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.emailAddress(),
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }).map((s) => `${s}@acme.test`),
      ),
      (raw) => {
        const sent = cleanEmail(raw);
        if (sent !== undefined) expect(normalizeEmail(sent)).toBe(normalizeEmail(raw));
      },
    ),
    { numRuns: 2000 },
  );
});
