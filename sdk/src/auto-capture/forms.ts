import type { Emit, Listen } from '../events.ts';
import { MAX_STEPS } from '../limits.ts';
import { cleanName } from '../sanitize.ts';
import { isFinalSubmit, reachSteps, type StepMemory } from './form-steps.ts';
import { isShown } from './is-shown.ts';

const FORM = 'form[data-lb-form]';
const STEP = 'data-lb-step';

/**
 * Multi-step forms (`<form data-lb-form="demo-request">` with `data-lb-step="company"` on each
 * step's container): a `form_step` once per step reached — on interaction inside it, or when it
 * becomes visible (watched with a MutationObserver once the visitor engaged) — and a
 * `form_submit` on the final submit. `submit` only fires once native validation passed. No field
 * value is read here; auto-identify (`identifyFrom`) reads only the form's visible email field.
 */
export function captureForms(
  listen: Listen,
  emit: Emit,
  identifyFrom: ((form: HTMLFormElement) => void) | undefined,
  onStop: (stop: () => void) => void,
): void {
  const memories = new WeakMap<HTMLFormElement, StepMemory>();
  const stepsOf = (form: HTMLFormElement) => [...form.querySelectorAll(`[${STEP}]`)];

  const look = (form: HTMLFormElement, target?: Node) => {
    const name = cleanName(form.getAttribute('data-lb-form'));
    const steps = stepsOf(form);
    const shown = steps.map(isShown);
    let memory = memories.get(form);
    if (!memory) {
      memory = { reached: [], shown };
      const observer = new MutationObserver(() => look(form));
      observer.observe(form, { subtree: true, childList: true, attributes: true });
      onStop(() => observer.disconnect());
    }
    const result = reachSteps(
      memory,
      shown,
      steps.findIndex((step) => target && step.contains(target)),
    );
    memories.set(form, result.memory);
    for (const i of result.reached) {
      if (name && i < MAX_STEPS) {
        const stepName = cleanName(steps[i]?.getAttribute(STEP));
        emit('form_step', { form: name, step: i + 1, stepName, steps: Math.min(steps.length, MAX_STEPS) });
      }
    }
  };

  const onInteract = (event: Event) => {
    const target = event.target as Element;
    const form = target.closest?.<HTMLFormElement>(FORM);
    if (form) look(form, target);
  };
  listen(document, 'focusin', onInteract);
  listen(document, 'click', onInteract);

  listen(document, 'submit', (event: SubmitEvent) => {
    const form = event.target as HTMLFormElement;
    if (!isFinalSubmit(stepsOf(form).map(isShown))) return;
    identifyFrom?.(form);
    const name = cleanName(form.getAttribute('data-lb-form'));
    if (name) emit('form_submit', { form: name }, true);
  });
}

/**
 * The value of the form's first visible email field — the only field value the SDK ever reads.
 * Password, card (`autocomplete="cc-…"`) and hidden fields are never touched.
 */
export function readEmailField(form: HTMLFormElement): string | undefined {
  return [...form.querySelectorAll<HTMLInputElement>('input[type=email]:not([autocomplete^=cc-])')].find(
    isShown,
  )?.value;
}
