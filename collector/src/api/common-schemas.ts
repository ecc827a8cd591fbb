import { z } from '@hono/zod-openapi';
import { CURSOR_HINT, MAX_CURSOR_LENGTH, parseCursor } from './cursor.ts';

export const isoTime = z.iso.datetime({ offset: true });

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'not_found' }),
      message: z.string(),
      issues: z
        .array(z.object({ path: z.string(), message: z.string() }))
        .optional()
        .openapi({
          description: 'Validation errors only: each problem and where it is (`rules.2.halfLife`)',
        }),
    }),
  })
  .openapi('Error');

export const errorContent = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorSchema } },
});

type ErrorResponse = ReturnType<typeof errorContent>;

/** The refusals every authenticated route can answer. */
export const authErrors: Record<400 | 401 | 403 | 503, ErrorResponse> = {
  400: errorContent('Invalid input; `error.issues` lists each problem with its path'),
  401: errorContent('Missing, malformed or unknown secret key'),
  403: errorContent('A public key (pk_…) was sent: public keys are write-only'),
  503: errorContent('The database is unavailable; retry after Retry-After seconds'),
};
export const notFoundError: Record<404, ErrorResponse> = {
  404: errorContent('No such resource on this site'),
};
export const conflictError: Record<409, ErrorResponse> = {
  409: errorContent('The change is not allowed in the current state'),
};

export const SECURITY = [{ bearerAuth: [] }];

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  required: true,
  content: { 'application/json': { schema } },
});

const LIMIT_HINT = 'must be a whole number from 1 to 200';

export const pageQuery = {
  limit: z.coerce
    .number({ error: LIMIT_HINT })
    .int(LIMIT_HINT)
    .min(1, LIMIT_HINT)
    .max(200, LIMIT_HINT)
    .default(50)
    .openapi({ description: '1 to 200, 50 by default' }),
  // Checked here, before any handler runs, so that a forged cursor never reaches SQL.
  cursor: z
    .string()
    .max(MAX_CURSOR_LENGTH, { message: CURSOR_HINT, abort: true })
    .refine((cursor) => parseCursor(cursor) !== null, CURSOR_HINT)
    .optional()
    .openapi({ description: 'The `nextCursor` of the previous page; omit for the first page' }),
};

export const nextCursor = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null at the end' });

/** Timestamps come out of SQL as epoch milliseconds; the API speaks ISO 8601. */
export const isoOf = (ms: number) => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null) => (ms === null ? null : isoOf(ms));
export const round2 = (value: number) => Math.round(value * 100) / 100;
