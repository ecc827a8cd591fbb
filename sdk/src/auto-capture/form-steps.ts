/**
 * Whether a step counts as reached when the SDK looks at its form: the visitor is interacting
 * with it (`active`), or it is `shown` in a show/hide form (`showHide`: some step is hidden). In
 * a long single-page form, where every step is visible, a step counts only once interacted with.
 */
export const isStepReached = (active: boolean, shown: boolean, showHide: boolean): boolean =>
  active || (shown && showHide);

/**
 * A submit completes the form when it has no steps or its last step is shown; a submit while an
 * earlier step is shown is a multi-step form's "next" button.
 */
export const isFinalSubmit = (shown: boolean[]): boolean => shown[shown.length - 1] !== false;
