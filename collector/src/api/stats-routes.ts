import { createRoute, z } from '@hono/zod-openapi';
import type { Db } from '../db/database.ts';
import type { SecretKeys } from '../sites/secret-key-cache.ts';
import { createApiRouter } from './api-router.ts';
import { requireSecretKey } from './authenticate.ts';
import { authErrors, json, SECURITY } from './common-schemas.ts';
import { instantParam } from './instant-param.ts';
import { readSiteStats } from './site-stats.ts';

const statsSchema = z
  .object({
    leads: z.number().int().openapi({ description: 'Live leads (merged ones count once, as the survivor)' }),
    identifiedLeads: z.number().int().openapi({ description: 'Leads with an email' }),
    mqls: z.number().int().openapi({ description: 'Leads whose MQL flag is set now' }),
    sqls: z.number().int().openapi({ description: 'Leads in stage sql now' }),
    mqlToSqlRatio: z.number().nullable().openapi({
      description: 'Of the leads that ever entered MQL, the share that reached SQL after; null without MQLs',
    }),
    medianSpeedToLeadSeconds: z.number().nullable().openapi({
      description: "Median seconds from a lead's first MQL entry to the first sales outcome; null when none",
    }),
  })
  .openapi('SiteStats');

/** `GET /v1/stats`: the funnel figures of the key's site. */
export function statsRoutes({ db, keys }: { db: Db; keys: SecretKeys }) {
  const router = createApiRouter();
  router.use('*', requireSecretKey(keys));
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Funnel figures: leads, MQLs, SQLs, MQL→SQL ratio, median speed to lead',
      security: SECURITY,
      request: {
        query: z.object({
          since: instantParam
            .optional()
            .openapi({ description: 'Only the leads first seen at or after this instant' }),
        }),
      },
      responses: { 200: json(statsSchema, 'The figures'), ...authErrors },
    }),
    async (c) => c.json(await readSiteStats(db, c.get('site').id, c.req.valid('query').since ?? null), 200),
  );
  return router;
}
