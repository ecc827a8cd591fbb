import { LIMITS } from '@leadbeam/protocol';
import { expect, test } from 'vitest';
import * as sdk from './limits.ts';

test('the SDK copies of the wire limits match the protocol', () => {
  expect(sdk.MAX_EVENTS_PER_BATCH).toBe(LIMITS.maxEventsPerBatch);
  expect(sdk.MAX_URL).toBe(LIMITS.maxUrlLength);
  expect(sdk.MAX_TITLE).toBe(LIMITS.maxTitleLength);
  expect(sdk.MAX_NAME).toBe(LIMITS.maxNameLength);
  expect(sdk.MAX_TAG).toBe(LIMITS.maxTagLength);
  expect(sdk.MAX_TAGS).toBe(LIMITS.maxTagsPerEvent);
  expect(sdk.MAX_EMAIL).toBe(LIMITS.maxEmailLength);
  expect(sdk.MAX_KEYS).toBe(Math.min(LIMITS.maxTraits, LIMITS.maxProps));
  expect(sdk.MAX_TRAIT_VALUE).toBe(LIMITS.maxTraitValueLength);
  expect(sdk.MAX_PROP_VALUE).toBe(LIMITS.maxPropValueLength);
  expect(sdk.MAX_STEPS).toBe(LIMITS.maxFormSteps);
  expect(sdk.MAX_CONTEXT).toBe(LIMITS.maxContextStringLength);
  expect(sdk.MAX_BATCH_CHARS * 3).toBeLessThan(LIMITS.maxBodyBytes - 4096);
});
