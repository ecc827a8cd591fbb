import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { envelopeSchema, eventSchema, LIMITS } from '@leadbeam/protocol';
import type { ApiEnv } from './api-router.ts';
import { errorSchema, json } from './common-schemas.ts';

const collectAnswerSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int(),
    rejected: z.array(
      z.object({ index: z.number().int(), code: z.literal('invalid_event'), message: z.string() }),
    ),
  })
  .openapi('CollectAnswer');

/** Adds what the lead API does not serve itself: the bearer scheme and the SDK's `POST /v1/collect`. */
export function describeCollector(api: OpenAPIHono<ApiEnv>): void {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: "The site's secret key (sk_…). Public keys (pk_…) are write-only and refused with 403.",
  });
  const batch = envelopeSchema
    .extend({ events: z.array(eventSchema).min(1).max(LIMITS.maxEventsPerBatch) })
    .openapi('Batch');
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: errorSchema } },
  });
  api.openAPIRegistry.registerPath({
    method: 'post',
    path: '/v1/collect',
    summary: "The SDK's beacons: a batch of events under the site's public key",
    description: `Sent as text/plain (no CORS preflight) or application/json, at most ${LIMITS.maxBodyBytes} bytes. A valid envelope stores its valid events and lists the others in \`rejected\`; replayed event ids count as duplicates.`,
    request: {
      body: {
        required: true,
        content: { 'text/plain': { schema: batch }, 'application/json': { schema: batch } },
      },
    },
    responses: {
      200: json(collectAnswerSchema, 'Stored durably before this answer'),
      400: error('Invalid JSON or envelope'),
      401: error('Unknown public key'),
      403: error('Origin not allowed, or a secret key sent from a browser'),
      413: error('Body too large'),
      415: error('Unsupported content type'),
      429: error('Rate limited; retry after Retry-After seconds'),
      503: error('Storage unavailable; retry after Retry-After seconds'),
    },
  });
}

export const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Leadbeam collector API',
    version: '1',
    description:
      'Ingest (`POST /v1/collect`, public key) and the lead API (Bearer secret key). Errors are `{"error":{"code","message"}}`; validation errors add `issues: [{path, message}]`.',
  },
} as const;
