/** Every limit of the v1 wire protocol, named once. The SDK and the collector both read these. */
export const LIMITS = {
  /** Largest accepted request body, in bytes (413 above). */
  maxBodyBytes: 64 * 1024,
  /** Most events in one batch. */
  maxEventsPerBatch: 100,
  /** Length of `anonymousId` and `sessionId`. */
  minIdLength: 8,
  maxIdLength: 128,
  maxKeyLength: 128,
  maxUrlLength: 2048,
  maxTitleLength: 512,
  maxNameLength: 128,
  maxTagLength: 64,
  maxTagsPerEvent: 20,
  maxEmailLength: 254,
  maxTraits: 50,
  maxTraitValueLength: 512,
  maxProps: 50,
  maxPropValueLength: 1024,
  maxFormSteps: 50,
  maxContextStringLength: 128,
  /** Events older than this (after clock correction) are clamped to it. */
  maxEventAgeMs: 7 * 24 * 60 * 60 * 1000,
} as const;

/** Event types of protocol v1, in the order DESIGN.md lists them. */
export const EVENT_TYPES = [
  'page_view',
  'download',
  'form_step',
  'form_submit',
  'thank_you',
  'action',
  'identify',
  'track',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];
