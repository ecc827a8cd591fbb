import { expect, test } from 'vitest';
import { isFinalSubmit, isStepReached } from './auto-capture/form-steps.ts';

test('a step is reached when interacted with, whatever the form shows', () => {
  expect(isStepReached(true, true, false)).toBe(true);
  expect(isStepReached(true, true, true)).toBe(true);
});

test('in a form showing every step, being visible is not enough', () => {
  expect(isStepReached(false, true, false)).toBe(false);
});

test('in a show/hide form, the shown step is reached as the visitor moves on; hidden ones are not', () => {
  expect(isStepReached(false, true, true)).toBe(true);
  expect(isStepReached(false, false, true)).toBe(false);
});

test('a submit is final when the form has no steps or shows its last step', () => {
  expect(isFinalSubmit([])).toBe(true);
  expect(isFinalSubmit([true, true, true])).toBe(true);
  expect(isFinalSubmit([false, false, true])).toBe(true);
  expect(isFinalSubmit([true, false, false])).toBe(false);
});
