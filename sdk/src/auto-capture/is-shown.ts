/** True when the element is rendered (not hidden by an attribute, display or visibility). */
export function isShown(element: Element): boolean {
  return (
    !element.closest('[hidden]') &&
    (element.checkVisibility?.({ visibilityProperty: true }) ?? element.getClientRects().length > 0)
  );
}
