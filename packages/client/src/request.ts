import { failure, type LeadbeamError, type Result, success } from './result.ts';

/** `fetch`, or anything shaped like it (Hono's `app.request` in tests). */
export type FetchLike = (url: string, init: RequestInit) => Response | Promise<Response>;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | boolean | Date | undefined>;
  body?: unknown;
};

/** One API call: JSON in, JSON out, every failure turned into a `LeadbeamError` value. */
export function createRequester(options: {
  baseUrl: string;
  secretKey: string;
  fetch: FetchLike;
  timeoutMs: number;
}) {
  const base = options.baseUrl.replace(/\/+$/, '');
  return async function request<T>(path: string, init: RequestOptions = {}): Promise<Result<T>> {
    const url = base + path + queryString(init.query);
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${options.secretKey}`,
    };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: init.method ?? 'GET',
        headers,
        ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      return failure({ status: 0, code: 'network_error', message: describe(error, url) });
    }
    let body: unknown;
    try {
      body = response.status === 204 ? null : await response.json();
    } catch (error) {
      if (response.ok) {
        return failure({
          status: response.status,
          code: 'invalid_response',
          message: `${response.status} answer is not JSON: ${describe(error, url)}`,
        });
      }
      body = null;
    }
    return response.ok ? success(body as T) : failure(toError(response, body));
  };
}

function queryString(query: RequestOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(name, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function toError(response: Response, body: unknown): LeadbeamError {
  const error = (body as { error?: Partial<LeadbeamError> } | null)?.error;
  const result: LeadbeamError = {
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : `http_${response.status}`,
    message: typeof error?.message === 'string' ? error.message : response.statusText || 'request failed',
  };
  if (Array.isArray(error?.issues)) result.issues = error.issues;
  const retryAfter = Number(response.headers.get('retry-after'));
  if (response.headers.has('retry-after') && Number.isFinite(retryAfter)) result.retryAfter = retryAfter;
  return result;
}

function describe(error: unknown, url: string): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer from ${url} in time`;
  const cause =
    error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return `could not reach ${url}: ${cause}`;
}
