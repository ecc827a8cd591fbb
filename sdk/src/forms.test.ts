import { expect, test, vi } from 'vitest';
import { installCollector, load, openPage, useCleanPage } from './test-harness.ts';

useCleanPage();

const fieldsetForm = `
  <form data-lb-form="demo-request">
    <fieldset data-lb-step="contact"><input id="name"><input id="email" type="email" required></fieldset>
    <fieldset data-lb-step="company"><input id="company"></fieldset>
    <fieldset data-lb-step="needs"><textarea id="needs"></textarea></fieldset>
    <button id="send">Send</button>
  </form>`;

const showHideForm = `
  <form data-lb-form="demo-request">
    <div data-lb-step="contact"><input id="email" type="email"><button type="button" id="next1">Next</button></div>
    <div data-lb-step="company" style="display:none"><input id="company"><button type="button" id="next2">Next</button></div>
    <div data-lb-step="confirm" style="display:none"><p>Check and send</p><button id="send">Send</button></div>
  </form>`;

/** Shows or hides a step. (happy-dom lacks the UA style that makes `[hidden]` display:none, so tests use display.) */
const show = (element: HTMLElement | undefined, shown: boolean) => {
  if (element) element.style.display = shown ? 'block' : 'none';
};
const focus = (selector: string) =>
  document.querySelector<HTMLElement>(selector)?.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
const click = (selector: string) => document.querySelector<HTMLElement>(selector)?.click();
/** Submits like a browser does once native validation passed (happy-dom does not navigate). */
const submit = () => {
  const form = document.querySelector('form') as HTMLFormElement;
  if (form.checkValidity())
    form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
};
const steps = (collector: ReturnType<typeof installCollector>) =>
  collector.eventsOf('form_step').map((event) => [event.step, event.stepName, event.steps]);

test('fieldset steps: one form_step per step reached by interaction, never repeated', async () => {
  openPage('https://acme.test/demo', '', fieldsetForm);
  const collector = installCollector();
  load();
  await vi.advanceTimersByTimeAsync(5000); // visible steps alone do not count
  focus('#name');
  focus('#email');
  focus('#company');
  focus('#name');
  focus('#needs');
  await vi.advanceTimersByTimeAsync(1000);
  expect(steps(collector)).toEqual([
    [1, 'contact', 3],
    [2, 'company', 3],
    [3, 'needs', 3],
  ]);
  expect(collector.eventsOf('form_step')[0]).toMatchObject({
    form: 'demo-request',
    url: 'https://acme.test/demo',
  });
});

test('show/hide steps are detected when they become visible, without reading any value', async () => {
  openPage('https://acme.test/demo', '', showHideForm);
  const collector = installCollector();
  load();
  const [contact, company, confirm] = [...document.querySelectorAll<HTMLElement>('[data-lb-step]')];
  const valueRead = vi.spyOn(HTMLInputElement.prototype, 'value', 'get');
  document.querySelector('#next1')?.addEventListener('click', () => {
    show(contact, false);
    show(company, true);
  });
  document.querySelector('#next2')?.addEventListener('click', () => {
    show(company, false);
    show(confirm, true);
  });
  click('#next1');
  await vi.advanceTimersByTimeAsync(0);
  click('#next2');
  await vi.advanceTimersByTimeAsync(1000);
  expect(steps(collector)).toEqual([
    [1, 'contact', 3],
    [2, 'company', 3],
    [3, 'confirm', 3],
  ]);
  expect(valueRead).not.toHaveBeenCalled();
});

test('a submit that only moves a multi-step form on is not its form_submit', async () => {
  openPage('https://acme.test/demo', '', showHideForm);
  const collector = installCollector();
  load();
  const form = document.querySelector('form') as HTMLFormElement;
  const [contact, company] = [...document.querySelectorAll<HTMLElement>('[data-lb-step]')];
  form.addEventListener('submit', (event) => {
    event.preventDefault(); // the site's "next" on Enter
    show(contact, false);
    show(company, true);
  });
  focus('#email');
  submit();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('form_submit')).toEqual([]);
  expect(steps(collector)).toEqual([
    [1, 'contact', 3],
    [2, 'company', 3],
  ]);
});

test('form_submit only once native validation passed', async () => {
  openPage('https://acme.test/demo', '', fieldsetForm);
  const collector = installCollector();
  load({ autoIdentify: false });
  submit(); // required email empty: the browser fires no submit
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('form_submit')).toEqual([]);
  (document.querySelector('#email') as HTMLInputElement).value = 'jane@acme.test';
  submit();
  expect(collector.beaconed.flatMap((batch) => batch.events).map((event) => event.type)).toContain(
    'form_submit',
  );
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('form_submit')).toEqual([expect.objectContaining({ form: 'demo-request' })]);
  expect(collector.eventsOf('identify')).toEqual([]);
});

test('auto-identify on submit reads only the visible email field', async () => {
  openPage(
    'https://acme.test/signup',
    '',
    `<form>
      <input type="email" value="honeypot@spam.test" style="display:none">
      <input type="email" value="Jane@Acme.TEST">
      <input type="password" value="secret">
      <input autocomplete="cc-number" value="4111111111111111">
      <input type="hidden" value="token">
    </form>`,
  );
  const collector = installCollector();
  load();
  const read = vi.spyOn(HTMLInputElement.prototype, 'value', 'get');
  document.querySelector('form')?.dispatchEvent(new SubmitEvent('submit', { bubbles: true }));
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('identify')).toEqual([expect.objectContaining({ email: 'jane@acme.test' })]);
  expect(collector.eventsOf('form_submit')).toEqual([]); // not a tagged form
  const readFrom = read.mock.contexts.map((input) => (input as HTMLInputElement).type);
  expect(new Set(readFrom)).toEqual(new Set(['email']));
  expect(read.mock.contexts).not.toContain(document.querySelector('input[style]'));
});

test('a multi-step form identifies from the email of an earlier (now hidden) step', async () => {
  openPage('https://acme.test/demo', '', showHideForm);
  const collector = installCollector();
  load();
  (document.querySelector('#email') as HTMLInputElement).value = 'jane@acme.test';
  const [contact, , confirm] = [...document.querySelectorAll<HTMLElement>('[data-lb-step]')];
  show(contact, false);
  show(confirm, true);
  submit();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('identify')).toEqual([expect.objectContaining({ email: 'jane@acme.test' })]);
  expect(collector.eventsOf('form_submit')).toHaveLength(1);
});

test('an invalid email in the field identifies nobody', async () => {
  openPage('https://acme.test/signup', '', '<form><input type="email" value="not-an-email"></form>');
  const collector = installCollector();
  load();
  submit();
  await vi.advanceTimersByTimeAsync(1000);
  expect(collector.eventsOf('identify')).toEqual([]);
});
