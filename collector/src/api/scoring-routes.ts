import { createRoute, z } from '@hono/zod-openapi';
import { scoringRulesSchema } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { createRulesPreviewer } from '../scoring/preview-rules.ts';
import { rescoreSite } from '../scoring/rescore-site.ts';
import { loadCurrentRules, saveRules } from '../scoring/rules-store.ts';
import type { SecretKeys } from '../sites/secret-key-cache.ts';
import { createApiRouter, invalidRequestBody } from './api-router.ts';
import { requireSecretKey } from './authenticate.ts';
import { authErrors, errorContent, isoTime, json, jsonBody, round2, SECURITY } from './common-schemas.ts';

// zod 4 copies `.openapi` onto schemas as they are built: a schema made before @hono/zod-openapi
// was imported lacks it, so name a copy (`describe` clones) rather than the shared instance.
const rulesSchema = scoringRulesSchema
  .describe('A site\'s scoring rules (DESIGN.md, "Scoring")')
  .openapi('ScoringRules');

const previewLead = z.object({
  id: z.string(),
  email: z.string().nullable(),
  scoreBefore: z.number(),
  scoreAfter: z.number(),
});
const previewSchema = z
  .object({
    leads: z.number().int(),
    mqlBefore: z.number().int(),
    mqlAfter: z.number().int(),
    entering: z.array(previewLead).openapi({ description: 'Leads that would become MQLs (first 100)' }),
    leaving: z.array(previewLead).openapi({ description: 'Leads that would stop being MQLs (first 100)' }),
  })
  .openapi('RulesPreview');

/** `/v1/scoring`: the site's rules (versioned), replacing them (re-scores every lead), and a backtest. */
export function scoringRoutes({
  db,
  clock,
  keys,
  previewBudgetMs = 20_000,
}: {
  db: Db;
  clock: Clock;
  keys: SecretKeys;
  /** How long a backtest may run before it is stopped and answered 503. */
  previewBudgetMs?: number;
}) {
  const router = createApiRouter();
  const previewRules = createRulesPreviewer(previewBudgetMs);
  router.use('*', requireSecretKey(keys));

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'The current scoring rules',
      security: SECURITY,
      responses: {
        200: json(
          z
            .object({ version: z.number().int(), rules: rulesSchema, createdAt: isoTime })
            .openapi('ScoringVersion'),
          'The rules the site scores with now',
        ),
        ...authErrors,
      },
    }),
    async (c) => {
      const current = await loadCurrentRules(db, c.get('site').id);
      return c.json(
        { version: current.version, rules: current.rules.source, createdAt: current.createdAt.toISOString() },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/',
      summary: 'Replace the scoring rules: a new version, and every lead re-scored from its events',
      security: SECURITY,
      request: { body: jsonBody(rulesSchema) },
      responses: {
        200: json(
          z.object({
            version: z.number().int(),
            rescored: z.object({ leads: z.number().int(), events: z.number().int() }),
          }),
          'The new version and what was re-scored',
        ),
        ...authErrors,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const saved = await db.transaction(async (tx) => {
        await tx.execute(sql`select id from sites where id = ${siteId} for update`);
        return saveRules(tx, siteId, c.req.valid('json'));
      });
      if (!saved.ok) return c.json(invalidRequestBody(saved.issues, 'rules'), 400);
      const rescored = await rescoreSite(db, siteId, clock.now());
      return c.json({ version: saved.version, rescored }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/preview',
      summary:
        'Backtest proposed rules on the events: how many MQLs, who enters and leaves; nothing is saved',
      security: SECURITY,
      request: { body: jsonBody(rulesSchema) },
      responses: {
        200: json(previewSchema, 'What the rules would change'),
        ...authErrors,
        429: errorContent('A backtest of this site is already running; retry after Retry-After seconds'),
        503: errorContent(
          'The database is unavailable, or the backtest ran past its time budget and was stopped (`timeout`)',
        ),
      },
    }),
    async (c) => {
      const result = await previewRules(db, c.get('site').id, c.req.valid('json'), clock.now());
      if (!result.ok && result.reason === 'invalid')
        return c.json(invalidRequestBody(result.issues, 'rules'), 400);
      if (!result.ok && result.reason === 'busy') {
        throw new ApiError(
          429,
          'rate_limited',
          'a backtest of this site is already running; wait for it to finish',
          {
            'Retry-After': '5',
          },
        );
      }
      if (!result.ok) {
        throw new ApiError(
          503,
          'timeout',
          `the backtest ran past its budget of ${previewBudgetMs / 1000} s and was stopped; nothing was saved`,
        );
      }
      const rounded = (lead: z.infer<typeof previewLead>) => ({
        ...lead,
        scoreBefore: round2(lead.scoreBefore),
        scoreAfter: round2(lead.scoreAfter),
      });
      const { preview } = result;
      return c.json(
        { ...preview, entering: preview.entering.map(rounded), leaving: preview.leaving.map(rounded) },
        200,
      );
    },
  );

  return router;
}
