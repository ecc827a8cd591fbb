import type { ErrorCode } from '@leadbeam/protocol';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** The one error type of the collector: every refusal carries its HTTP status and a stable code. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The database could not take the write: nothing was stored, the client should come back. */
export function storageUnavailable(retryAfterSeconds = 2): ApiError {
  return new ApiError(503, 'storage_unavailable', 'storage is unavailable; nothing was stored, retry later', {
    'Retry-After': String(retryAfterSeconds),
  });
}
