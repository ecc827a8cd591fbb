export { type ClientOptions, createLeadbeamClient, type LeadbeamClient } from './create-client.ts';
export type { FetchLike } from './request.ts';
export type { LeadbeamError, Result } from './result.ts';
export type {
  CreatedWebhook,
  Erased,
  Lead,
  LeadDetail,
  LeadEvent,
  LeadFilters,
  LeadSession,
  Page,
  PageOptions,
  PreviewLead,
  RuleBreakdown,
  SalesOutcome,
  SavedScoring,
  ScoringPreview,
  ScoringRules,
  ScoringVersion,
  Stage,
  StageChange,
  Stats,
  Transition,
  Webhook,
  WebhookDelivery,
  WebhookEventType,
} from './types.ts';
export {
  type VerifyFailure,
  type VerifyOptions,
  type VerifyResult,
  verifyWebhook,
  type WebhookEvent,
  type WebhookHeaders,
} from './verify-webhook.ts';
