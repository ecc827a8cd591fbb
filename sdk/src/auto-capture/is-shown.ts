/**
 * True when the element is rendered (not `hidden` or `display: none`, itself or an ancestor).
 * Browsers before `checkVisibility` (Safari < 17.4) count everything as shown: steps are then
 * reached by interaction only, and every submit is final.
 */
export const isShown = (element: Element): boolean => element.checkVisibility?.() !== false;
