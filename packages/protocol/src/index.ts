export type { CollectAnswer, ErrorAnswer, ErrorCode, RejectedEvent } from './answers.ts';
export { cleanText, cleanToken } from './clean-text.ts';
export { checkEmail, EMAIL_PROBLEMS, type EmailCheck, emailDomain, normalizeEmail } from './email-address.ts';
export {
  contextSchema,
  type Envelope,
  envelopeSchema,
  type Utm,
  utmSchema,
  type WireContext,
} from './envelope-schema.ts';
export {
  type ActionEvent,
  type DownloadEvent,
  eventSchema,
  type FormStepEvent,
  type FormSubmitEvent,
  type IdentifyEvent,
  type PageViewEvent,
  type ThankYouEvent,
  type TrackEvent,
  type WireEvent,
  type WireEventInput,
} from './event-schemas.ts';
export { isJunkId, isValidClientId } from './identifiers.ts';
export { EVENT_TYPES, type EventType, LIMITS } from './limits.ts';
export { type BatchValidation, describeIssues, type ValidEvent, validateBatch } from './validate-batch.ts';

/** The shape the SDK sends; `events` holds raw events before validation. */
export type WireBatch = {
  site: string;
  anonymousId: string;
  sessionId: string;
  sentAt: string;
  context?: import('./envelope-schema.ts').WireContext;
  events: import('./event-schemas.ts').WireEventInput[];
};
