import type { Emit, Listen } from '../events.ts';
import { MAX_STEPS } from '../limits.ts';
import { cleanName } from '../sanitize.ts';
import { isFinalSubmit, isStepReached } from './form-steps.ts';
import { isShown } from './is-shown.ts';

/**
 * Multi-step forms (`<form data-lb-form="demo-request">` with `data-lb-step="company"` on each
 * step's container): a `form_step` once per step reached — looked for when the visitor focuses or
 * clicks inside the form (just after, so that a "next" button's own handler has run)
 * and on submit — and a `form_submit` on the final submit; `submit` only fires once native
 * validation passed. No field value is read here; auto-identify (`identifyFrom`) reads only the
 * form's visible email field.
 */
export const captureForms = (
  listen: Listen,
  emit: Emit,
  identifyFrom: (form: HTMLFormElement) => void,
): void => {
  const reached = new WeakSet<Element>();

  /**
   * Reports the steps newly reached (each once); returns which steps are shown. Without a
   * `target`, `contains(undefined)` is false (WebIDL reads undefined as null for `Node?`).
   */
  const look = (form: HTMLFormElement, target?: Node) => {
    const name = cleanName(form.dataset.lbForm);
    const steps = [...form.querySelectorAll<HTMLElement>('[data-lb-step]')].slice(0, MAX_STEPS);
    const shown = steps.map(isShown);
    const showHide = !shown.every(Boolean); // not includes(false): terser's booleans_as_integers
    steps.forEach((step, i) => {
      if (
        name &&
        !reached.has(step) &&
        isStepReached(step.contains(target as Node), shown[i] as boolean, showHide)
      ) {
        reached.add(step);
        emit('form_step', {
          form: name,
          step: i + 1,
          stepName: cleanName(step.dataset.lbStep),
          steps: steps.length,
        });
      }
    });
    return shown;
  };

  const onInteract = (event: Event) => {
    const target = event.target as Element;
    const form = target.closest?.<HTMLFormElement>('form[data-lb-form]');
    if (form) setTimeout(look, 0, form, target);
  };
  listen('focusin', onInteract);
  listen('click', onInteract);

  listen('submit', (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    const name = cleanName(form.dataset.lbForm);
    if (isFinalSubmit(look(form))) {
      identifyFrom(form);
      if (name) emit('form_submit', { form: name }, true);
    } else setTimeout(look, 0, form); // a "next": look again once the site's own handler moved on
  });
};

/**
 * The value of the form's first `type=email` field that a visitor could fill in: visible, or in a
 * step of a multi-step form (step 1 is hidden by the final submit). It is the only field value
 * the SDK ever reads; password, card and `type=hidden` fields are never `type=email`, and
 * invisible honeypot fields are skipped.
 */
export const readEmailField = (form: HTMLFormElement): string | undefined =>
  [...form.querySelectorAll<HTMLInputElement>('input[type=email]')].find(
    (input) => input.closest('[data-lb-step]') || isShown(input),
  )?.value;
