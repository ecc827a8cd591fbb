import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { randomToken } from '../sites/keys.ts';
import type { SecretKeys } from '../sites/secret-key-cache.ts';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/enqueue.ts';
import { localTargetReason } from '../webhooks/public-target.ts';
import type { SecretBox } from '../webhooks/secret-box.ts';
import { WEBHOOK_URL_MAX_LENGTH, WEBHOOK_URL_PATTERN, webhookUrlProblem } from '../webhooks/webhook-url.ts';
import { createApiRouter } from './api-router.ts';
import { requireSecretKey } from './authenticate.ts';
import {
  authErrors,
  conflictError,
  isoOf,
  isoOrNull,
  isoTime,
  json,
  jsonBody,
  nextCursor,
  notFoundError,
  pageQuery,
  SECURITY,
} from './common-schemas.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { exactTime } from './lead-rows.ts';

const MAX_WEBHOOKS = 20;
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/**
 * The URL rules of `webhook-url.ts`; when the collector refuses private targets, also the host
 * checks that need no DNS (IP literals, local names). A DNS name is checked again when connecting.
 */
const webhookUrl = (publicTargetsOnly: boolean) =>
  z
    .string()
    .max(WEBHOOK_URL_MAX_LENGTH, `must be at most ${WEBHOOK_URL_MAX_LENGTH} characters`)
    .superRefine((value, ctx) => {
      if (value.length > WEBHOOK_URL_MAX_LENGTH) return;
      const problem = webhookUrlProblem(value);
      const local = problem === null && publicTargetsOnly ? localTargetReason(new URL(value)) : null;
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
      else if (local) ctx.addIssue({ code: 'custom', message: `must point at a public host: ${local}` });
    })
    .openapi({
      pattern: WEBHOOK_URL_PATTERN.source,
      example: 'https://crm.example/leadbeam',
      description:
        'An http(s) URL without credentials, whitespace, backslashes or control characters (raw or ' +
        'percent-encoded). Unless the collector allows private targets, loopback, private and reserved ' +
        'IP addresses (in any spelling, IPv4-mapped IPv6 included) and local names (localhost, *.local, ' +
        '*.internal) are refused here, and a name resolving to such an address is refused at each delivery.',
    });

const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
    createdAt: isoTime,
  })
  .openapi('Webhook');
const createdWebhookSchema = webhookSchema
  .extend({
    secret: z.string().openapi({ description: 'whsec_…: shown once; verify Leadbeam-Signature with it' }),
  })
  .openapi('CreatedWebhook');
const deliverySchema = z
  .object({
    id: z.string(),
    eventType: z.enum(WEBHOOK_EVENT_TYPES),
    leadId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().openapi({ description: "The receiver's last HTTP status" }),
    lastError: z.string().nullable(),
    nextAttemptAt: isoTime.nullable().openapi({ description: 'While pending: when the next attempt is due' }),
    deliveredAt: isoTime.nullable(),
    createdAt: isoTime,
  })
  .openapi('WebhookDelivery');
const webhookParam = z.object({
  id: z
    .string()
    .min(1)
    .max(100)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

type WebhookRow = { id: string; url: string; events: string[]; createdAtMs: number };
const toWebhook = (row: WebhookRow) => ({
  id: row.id,
  url: row.url,
  events: row.events as (typeof WEBHOOK_EVENT_TYPES)[number][],
  createdAt: isoOf(row.createdAtMs),
});
const unknownWebhook = () => new ApiError(404, 'not_found', 'no such webhook on this site');

export type WebhookRouteDeps = {
  db: Db;
  box: SecretBox;
  keys: SecretKeys;
  /** Refuse private targets at registration, as the dispatcher does at delivery. */
  publicWebhookTargetsOnly?: boolean;
};

/** `/v1/webhooks`: subscriptions (the secret shown once, stored encrypted) and their delivery log. */
export function webhookRoutes({ db, box, keys, publicWebhookTargetsOnly = false }: WebhookRouteDeps) {
  const router = createApiRouter();
  router.use('*', requireSecretKey(keys));

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Subscribe a URL to lead events; deliveries are signed with the returned secret',
      security: SECURITY,
      request: {
        body: jsonBody(
          z
            .strictObject({
              url: webhookUrl(publicWebhookTargetsOnly),
              events: z
                .array(z.enum(WEBHOOK_EVENT_TYPES))
                .min(1)
                .optional()
                .openapi({ description: 'Default: every event type' }),
            })
            .openapi('NewWebhook'),
        ),
      },
      responses: {
        201: json(createdWebhookSchema, 'The webhook and its secret'),
        ...authErrors,
        ...conflictError,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const body = c.req.valid('json');
      const events = [...new Set(body.events ?? WEBHOOK_EVENT_TYPES)];
      const secret = `whsec_${randomToken(32)}`;
      const row = await db.transaction(async (tx) => {
        await tx.execute(sql`select id from sites where id = ${siteId} for update`);
        const [count] = await queryRows<{ n: number }>(
          tx,
          sql`select count(*)::int as n from webhooks where site_id = ${siteId}`,
        );
        if ((count?.n ?? 0) >= MAX_WEBHOOKS)
          throw new ApiError(
            409,
            'conflict',
            `a site has at most ${MAX_WEBHOOKS} webhooks; delete one first`,
          );
        const [inserted] = await queryRows<WebhookRow>(
          tx,
          sql`insert into webhooks (site_id, id, url, secret_ciphertext, event_types)
              values (${siteId}, ${`wh_${randomToken(16)}`}, ${body.url}, ${box.seal(secret)},
                ${sql.raw('ARRAY[')}${sql.join(
                  events.map((e) => sql`${e}`),
                  sql`, `,
                )}${sql.raw(']::text[]')})
              returning id, url, event_types as events, ${ms('created_at')} as "createdAtMs"`,
        );
        return inserted as WebhookRow;
      });
      return c.json({ ...toWebhook(row), secret }, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: "The site's webhooks (never their secrets)",
      security: SECURITY,
      responses: { 200: json(z.object({ data: z.array(webhookSchema) }), 'The webhooks'), ...authErrors },
    }),
    async (c) => {
      const rows = await queryRows<WebhookRow>(
        db,
        sql`select id, url, event_types as events, ${ms('created_at')} as "createdAtMs"
            from webhooks where site_id = ${c.get('site').id} order by created_at, id`,
      );
      return c.json({ data: rows.map(toWebhook) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{id}',
      summary: 'Delete a webhook and its delivery log; pending deliveries are dropped',
      security: SECURITY,
      request: { params: webhookParam },
      responses: { 204: { description: 'Deleted' }, ...authErrors, ...notFoundError },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const { id } = c.req.valid('param');
      const deleted = await db.transaction(async (tx) => {
        const gone = await queryRows<{ id: string }>(
          tx,
          sql`delete from webhooks where site_id = ${siteId} and id = ${id} returning id`,
        );
        await tx.execute(
          sql`delete from webhook_deliveries where site_id = ${siteId} and webhook_id = ${id}`,
        );
        return gone.length > 0;
      });
      if (!deleted) throw unknownWebhook();
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}/deliveries',
      summary: "A webhook's delivery log, newest first",
      security: SECURITY,
      request: { params: webhookParam, query: z.object(pageQuery) },
      responses: {
        200: json(z.object({ data: z.array(deliverySchema), nextCursor }), 'A page of deliveries'),
        ...authErrors,
        ...notFoundError,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const { id } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const [hook] = await queryRows<{ id: string }>(
        db,
        sql`select id from webhooks where site_id = ${siteId} and id = ${id}`,
      );
      if (!hook) throw unknownWebhook();
      const before = decodeCursor(cursor);
      const rows = await queryRows<{
        id: string;
        eventType: (typeof WEBHOOK_EVENT_TYPES)[number];
        leadId: string | null;
        status: 'pending' | 'delivered' | 'failed';
        attempts: number;
        lastStatus: number | null;
        lastError: string | null;
        nextAttemptAtMs: number;
        deliveredAtMs: number | null;
        createdAtMs: number;
        createdAtKey: string;
      }>(
        db,
        sql`select id, event_type as "eventType", lead_id as "leadId", status, attempts, last_status as "lastStatus",
              last_error as "lastError", ${ms('next_attempt_at')} as "nextAttemptAtMs",
              ${ms('delivered_at')} as "deliveredAtMs", ${ms('created_at')} as "createdAtMs",
              ${exactTime('created_at')} as "createdAtKey"
            from webhook_deliveries where site_id = ${siteId} and webhook_id = ${id}
            ${before === null ? sql`` : sql`and (created_at, id) < (${before.at}::timestamptz, ${before.id})`}
            order by created_at desc, id desc limit ${limit + 1}`,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return c.json(
        {
          data: page.map(({ nextAttemptAtMs, deliveredAtMs, createdAtMs, createdAtKey: _, ...d }) => ({
            ...d,
            nextAttemptAt: d.status === 'pending' ? isoOf(nextAttemptAtMs) : null,
            deliveredAt: isoOrNull(deliveredAtMs),
            createdAt: isoOf(createdAtMs),
          })),
          nextCursor:
            rows.length > limit && last ? encodeCursor({ at: last.createdAtKey, id: last.id }) : null,
        },
        200,
      );
    },
  );

  return router;
}
