/** What went wrong: the API's `{"error":{"code","message"}}`, or `network_error` (status 0) when no answer came. */
export type LeadbeamError = {
  /** The HTTP status; 0 when the request never got an answer. */
  status: number;
  /** A stable code: `unauthorized`, `not_found`, `conflict`, `invalid_request`, `network_error`… */
  code: string;
  message: string;
  /** Validation errors only: each problem and where it is (`rules.2.halfLife`). */
  issues?: { path: string; message: string }[];
  /** Seconds to wait before trying again, when the collector said so (429, 503). */
  retryAfter?: number;
};

/** Every method answers a value or an error; nothing is thrown for API or network failures. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: LeadbeamError };

export const success = <T>(value: T): Result<T> => ({ ok: true, value });
export const failure = (error: LeadbeamError): Result<never> => ({ ok: false, error });

/** The value transformed, the error passed through. */
export const mapResult = <T, U>(result: Result<T>, map: (value: T) => U): Result<U> =>
  result.ok ? { ok: true, value: map(result.value) } : result;
