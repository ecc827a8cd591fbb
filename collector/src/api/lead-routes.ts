import { createRoute, z } from '@hono/zod-openapi';
import { STAGES } from '@leadbeam/scoring';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import type { SecretKeys } from '../sites/secret-key-cache.ts';
import { createApiRouter } from './api-router.ts';
import { requireSecretKey } from './authenticate.ts';
import {
  authErrors,
  conflictError,
  json,
  jsonBody,
  notFoundError,
  pageQuery,
  SECURITY,
} from './common-schemas.ts';
import { eraseLead } from './erase-lead.ts';
import { instantParam } from './instant-param.ts';
import { leadHistoryRoutes } from './lead-history-routes.ts';
import { leadParam } from './lead-param.ts';
import { resolveLeadId } from './lead-rows.ts';
import {
  erasedSchema,
  leadDetailSchema,
  leadListSchema,
  stageAnswerSchema,
  stageBodySchema,
} from './lead-schemas.ts';
import { listLeads } from './list-leads.ts';
import { readLeadDetail } from './read-lead-detail.ts';
import { reportSalesOutcome } from './report-sales-outcome.ts';

export type LeadRoutesDeps = { db: Db; clock: Clock; keys: SecretKeys };

const MIN_SCORE_HINT = 'must be a number, 0 or more';
const unknownLead = () => new ApiError(404, 'not_found', 'no such lead on this site');

/** `/v1/leads`: list, read (now or at another instant), sales outcomes, erase. */
export function leadRoutes({ db, clock, keys }: LeadRoutesDeps) {
  const router = createApiRouter();
  router.use('*', requireSecretKey(keys));

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'List live leads, least recently updated first',
      security: SECURITY,
      request: {
        query: z.object({
          stage: z.enum(STAGES, { error: `must be one of ${STAGES.join(', ')}` }).optional(),
          mql: z
            .enum(['true', 'false'], { error: 'must be true or false' })
            .optional()
            .openapi({ description: 'The stored MQL flag' }),
          minScore: z.coerce
            .number({ error: MIN_SCORE_HINT })
            .min(0, MIN_SCORE_HINT)
            .optional()
            .openapi({ description: 'On the exact score now' }),
          updatedSince: instantParam.optional(),
          ...pageQuery,
        }),
      },
      responses: { 200: json(leadListSchema, 'A page of leads'), ...authErrors },
    }),
    async (c) => {
      const query = c.req.valid('query');
      const page = await listLeads(
        db,
        c.get('site').id,
        { ...query, mql: query.mql === undefined ? undefined : query.mql === 'true' },
        clock.now(),
      );
      return c.json(page, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{lead}',
      summary: 'Read a lead by id or email, with its score explained',
      security: SECURITY,
      request: {
        params: leadParam,
        query: z.object({
          at: instantParam.optional().openapi({
            description: 'Read at another instant: the past is recomputed from the events up to it',
          }),
        }),
      },
      responses: { 200: json(leadDetailSchema, 'The lead'), ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const { at } = c.req.valid('query');
      const now = clock.now();
      const lead = await readLeadDetail(
        db,
        c.get('site').id,
        c.req.valid('param').lead,
        now,
        at === undefined ? now : new Date(at),
      );
      if (!lead) throw unknownLead();
      return c.json(lead, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{lead}/stage',
      summary: 'Report a sales outcome: accepted (sal), qualified (sql), recycled or disqualified',
      security: SECURITY,
      request: { params: leadParam, body: jsonBody(stageBodySchema) },
      responses: {
        200: json(stageAnswerSchema, 'The lead after the change'),
        ...authErrors,
        ...notFoundError,
        ...conflictError,
      },
    }),
    async (c) => {
      const site = c.get('site');
      const { stage, reason } = c.req.valid('json');
      const id = await resolveLeadId(db, site.id, c.req.valid('param').lead);
      const change = id && (await reportSalesOutcome(db, site.id, id, stage, reason ?? null, clock.now()));
      if (!change) throw unknownLead();
      return c.json(change, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{lead}',
      summary: 'Erase a person: the lead, the leads merged into it, their devices, sessions and events',
      security: SECURITY,
      request: { params: leadParam },
      responses: { 200: json(erasedSchema, 'What was erased'), ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const site = c.get('site');
      const id = await resolveLeadId(db, site.id, c.req.valid('param').lead);
      const erased = id && (await eraseLead(db, site.id, id));
      if (!erased) throw unknownLead();
      return c.json({ erased }, 200);
    },
  );

  router.route('/', leadHistoryRoutes({ db, clock }));
  return router;
}
