import { expect, test } from 'vitest';
import { isFinalSubmit, reachSteps, type StepMemory } from './auto-capture/form-steps.ts';

const fresh = (shown: boolean[]): StepMemory => ({ reached: [], shown });

test('the step interacted with is reached once', () => {
  const first = reachSteps(fresh([true, true, true]), [true, true, true], 1);
  expect(first.reached).toEqual([1]);
  expect(reachSteps(first.memory, [true, true, true], 1).reached).toEqual([]);
});

test('a step that becomes visible is reached; visible-from-the-start steps are not', () => {
  const engaged = reachSteps(fresh([true, false, false]), [true, false, false], 0);
  expect(engaged.reached).toEqual([0]);
  const next = reachSteps(engaged.memory, [false, true, false], -1);
  expect(next.reached).toEqual([1]);
  const back = reachSteps(next.memory, [true, false, false], -1);
  expect(back.reached).toEqual([]);
  const last = reachSteps(back.memory, [false, false, true], -1);
  expect(last.reached).toEqual([2]);
  expect(reachSteps(fresh([true, true]), [true, true], -1).reached).toEqual([]);
});

test('a submit is final when the form has no steps or shows its last step', () => {
  expect(isFinalSubmit([])).toBe(true);
  expect(isFinalSubmit([true, true, true])).toBe(true);
  expect(isFinalSubmit([false, false, true])).toBe(true);
  expect(isFinalSubmit([true, false, false])).toBe(false);
});
