/** Machine-readable error codes of the collector and the lead API. */
export type ErrorCode =
  | 'invalid_json'
  | 'invalid_envelope'
  | 'invalid_event'
  | 'invalid_request'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unknown_site'
  | 'origin_not_allowed'
  | 'secret_key_in_browser'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'rate_limited'
  | 'storage_unavailable'
  | 'timeout'
  | 'internal';

/** One refused event of an otherwise valid batch. */
export type RejectedEvent = { index: number; code: 'invalid_event'; message: string };

/** The 200 answer of `POST /v1/collect`. */
export type CollectAnswer = { accepted: number; duplicates: number; rejected: RejectedEvent[] };

/** Every error answer of the collector and the API. */
export type ErrorAnswer = { error: { code: ErrorCode; message: string } };
