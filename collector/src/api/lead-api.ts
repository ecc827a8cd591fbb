import { OpenAPIHono } from '@hono/zod-openapi';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import { type SecretKeys, secretKeysOf } from '../sites/secret-key-cache.ts';
import type { SecretBox } from '../webhooks/secret-box.ts';
import type { ApiEnv } from './api-router.ts';
import { leadRoutes } from './lead-routes.ts';
import { describeCollector, OPENAPI_INFO } from './openapi-document.ts';
import { refuseControlCharacters } from './refuse-control-characters.ts';
import { scoringRoutes } from './scoring-routes.ts';
import { statsRoutes } from './stats-routes.ts';
import { webhookRoutes } from './webhook-routes.ts';

export type LeadApiDeps = {
  db: Db;
  clock: Clock;
  box: SecretBox;
  logger: Logger;
  /** Secret key → site; by default the `sites` table behind a cache of `SECRET_KEY_CACHE_MS`. */
  keys?: SecretKeys;
  /** How long a backtest of proposed rules may run (`POST /v1/scoring/preview`). */
  previewBudgetMs?: number;
  /** Refuse webhook URLs naming private addresses or local hosts at registration (SSRF). */
  publicWebhookTargetsOnly?: boolean;
};

/**
 * The authenticated API for backends (Bearer secret key, tenant-isolated, no CORS) and
 * `GET /openapi.json`, generated from the same zod schemas that validate the requests. Control
 * characters are refused under `/v1/*` before anything else reads the request.
 */
export function leadApi(deps: LeadApiDeps) {
  const routeDeps = { ...deps, keys: deps.keys ?? secretKeysOf(deps.db) };
  const api = new OpenAPIHono<ApiEnv>();
  api.use('/v1/*', refuseControlCharacters);
  api.route('/v1/leads', leadRoutes(routeDeps));
  api.route('/v1/scoring', scoringRoutes(routeDeps));
  api.route('/v1/webhooks', webhookRoutes(routeDeps));
  api.route('/v1/stats', statsRoutes(routeDeps));
  describeCollector(api);
  const document = api.getOpenAPI31Document(OPENAPI_INFO);
  api.get('/openapi.json', (c) => c.json(document));
  return api;
}
