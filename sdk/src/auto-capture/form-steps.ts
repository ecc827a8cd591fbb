/** What the SDK remembers of a form the visitor engaged with. */
export type StepMemory = {
  /** steps already reported */
  reached: boolean[];
  /** which steps were shown at the last look */
  shown: boolean[];
};

/**
 * Which steps (0-based) are newly reached: the one the visitor is interacting with (`active`, -1
 * for none) and every step that has just become visible (a show/hide form moving on). Steps that
 * are merely visible from the start — long single-page forms — count only when interacted with.
 */
export function reachSteps(
  memory: StepMemory,
  shown: boolean[],
  active: number,
): { memory: StepMemory; reached: number[] } {
  const reached = shown
    .map((isShown, i) =>
      (i === active || (isShown && memory.shown[i] === false)) && !memory.reached[i] ? i : -1,
    )
    .filter((i) => i >= 0);
  const now = [...memory.reached];
  for (const i of reached) now[i] = true;
  return { memory: { reached: now, shown }, reached };
}

/**
 * A submit completes the form when it has no steps or its last step is shown; a submit while an
 * earlier step is shown is a multi-step form's "next" button.
 */
export function isFinalSubmit(shown: boolean[]): boolean {
  return shown.length === 0 || shown[shown.length - 1] === true;
}
