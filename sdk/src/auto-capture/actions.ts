import { cleanName } from '../sanitize.ts';

/** The action of a click on (or inside) an element with `data-lb-action="name"`, if any. */
export function readAction(target: Element): string | undefined {
  return cleanName(target.closest?.<HTMLElement>('[data-lb-action]')?.dataset.lbAction);
}
