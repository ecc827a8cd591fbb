import { cleanName } from '../sanitize.ts';

/** The action of a click on (or inside) an element with `data-lb-action="name"`, if any. */
export const readAction = (target: Element): string | undefined =>
  cleanName(target.closest?.<HTMLElement>('[data-lb-action]')?.dataset.lbAction);
