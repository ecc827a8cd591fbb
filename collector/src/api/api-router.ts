import { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import type { Actor } from '../console/roles.ts';
import { isUnavailableError } from '../db/db-errors.ts';
import { storageUnavailable } from '../http/api-error.ts';
import { hasUnstorableText, UNSTORABLE_HINT } from './storable-text.ts';

/**
 * What every authenticated route finds on its context: who calls (`actor`) and the site. Only
 * its id: the key → site answer may be up to a second old (`secret-key-cache.ts`), so whatever
 * else of the site a route needs (rules version, settings) it reads itself, fresh.
 */
export type ApiEnv = { Variables: { site: { id: string }; actor: Actor } };

export type ValidationIssue = { path: string; message: string };

/** The one validation answer: `{"error":{"code":"invalid_request","message","issues":[{path,message}]}}`. */
export function invalidRequestBody(issues: ValidationIssue[], what = 'request') {
  const first = issues[0];
  const message = first
    ? `invalid ${what}: ${first.path ? `${first.path}: ` : ''}${first.message}`
    : `invalid ${what}`;
  return { error: { code: 'invalid_request' as const, message, issues } };
}

/**
 * zod's issues as the API answers them. zod names unknown keys in its message; they are the
 * client's raw input, so the answer says where they are but not what they are.
 */
export const zodIssues = (error: ZodError): ValidationIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message:
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''}: only the documented fields are accepted`
        : issue.message,
  }));

/**
 * A sub-app of the lead API: invalid input is answered 400 with the issues' paths, and a
 * database that cannot answer becomes 503 with Retry-After (the app's error handler does the rest).
 * A JSON body is also refused when any of its strings could not be stored (`storable-text.ts`):
 * zod checks shapes, and such a string would otherwise fail in SQL as a 500.
 */
export function createApiRouter() {
  const router = new OpenAPIHono<ApiEnv>({
    defaultHook: async (result, c) => {
      if (!result.success)
        return c.json(invalidRequestBody(zodIssues(result.error), TARGETS[result.target] ?? 'request'), 400);
      // The validator parsed the body once; `c.req.json()` answers that same parse.
      if (result.target === 'json' && hasUnstorableText(await c.req.json()))
        return c.json(invalidRequestBody([{ path: '', message: UNSTORABLE_HINT }], 'body'), 400);
    },
  });
  router.onError((error) => {
    throw isUnavailableError(error) ? storageUnavailable() : error;
  });
  return router;
}

const TARGETS: Record<string, string> = { json: 'body', query: 'query', param: 'path' };
