import { createRoute, z } from '@hono/zod-openapi';
import type { Stage } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Clock } from '../clock.ts';
import { type Db, queryRows } from '../db/database.ts';
import { ApiError } from '../http/api-error.ts';
import { createApiRouter } from './api-router.ts';
import { authErrors, isoOf, json, nextCursor, notFoundError, pageQuery, SECURITY } from './common-schemas.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { leadParam } from './lead-param.ts';
import { exactTime, resolveLeadId } from './lead-rows.ts';
import { leadEventSchema, sessionSchema, transitionSchema } from './lead-schemas.ts';

const SESSIONS_SHOWN = 1_000;
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/**
 * `/v1/leads/{lead}/events|sessions|transitions`: what a lead did, where it came from, and how
 * its stage moved. Mounted inside `leadRoutes`, behind its key check.
 */
export function leadHistoryRoutes({ db }: { db: Db; clock: Clock }) {
  const router = createApiRouter();
  const leadIdOf = async (siteId: string, lead: string) => {
    const id = await resolveLeadId(db, siteId, lead);
    if (id === null) throw new ApiError(404, 'not_found', 'no such lead on this site');
    return id;
  };

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{lead}/events',
      summary: "A lead's events, newest first",
      security: SECURITY,
      request: { params: leadParam, query: z.object(pageQuery) },
      responses: {
        200: json(z.object({ data: z.array(leadEventSchema), nextCursor }), 'A page of events'),
        ...authErrors,
        ...notFoundError,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const id = await leadIdOf(siteId, c.req.valid('param').lead);
      const { limit, cursor } = c.req.valid('query');
      const before = decodeCursor(cursor);
      const rows = await queryRows<{
        id: string;
        type: string;
        tsMs: number;
        tsKey: string;
        url: string | null;
        sessionId: string;
        anonymousId: string;
        data: Record<string, unknown>;
      }>(
        db,
        sql`select id, type, ${ms('ts')} as "tsMs", ${exactTime('ts')} as "tsKey", url, session_id as "sessionId",
              anonymous_id as "anonymousId", data
            from events where site_id = ${siteId} and lead_id = ${id}
            ${before === null ? sql`` : sql`and (ts, id) < (${before.at}::timestamptz, ${before.id})`}
            order by ts desc, id desc limit ${limit + 1}`,
      );
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return c.json(
        {
          data: page.map((e) => ({
            ...e.data,
            id: e.id,
            type: e.type,
            ts: isoOf(e.tsMs),
            url: e.url,
            sessionId: e.sessionId,
            anonymousId: e.anonymousId,
          })),
          nextCursor: rows.length > limit && last ? encodeCursor({ at: last.tsKey, id: last.id }) : null,
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{lead}/sessions',
      summary: "A lead's sessions, newest first (at most 1000): landing page, referrer, UTM, device",
      description: "The visitor's IP prefix is stored for abuse control but never answered.",
      security: SECURITY,
      request: { params: leadParam },
      responses: {
        200: json(z.object({ data: z.array(sessionSchema) }), 'The sessions'),
        ...authErrors,
        ...notFoundError,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const id = await leadIdOf(siteId, c.req.valid('param').lead);
      const rows = await queryRows<Record<string, string | number | null>>(
        db,
        sql`select id, anonymous_id, ${ms('started_at')} as started_ms, ${ms('last_seen')} as last_seen_ms,
              event_count, landing_url, referrer, referrer_host, utm_source, utm_medium, utm_campaign, utm_term,
              utm_content, browser, browser_version, os, os_version, device_type, locale, screen, timezone
            from sessions where site_id = ${siteId} and lead_id = ${id}
            order by started_at desc, id desc limit ${SESSIONS_SHOWN}`,
      );
      const text = (value: string | number | null | undefined) => (typeof value === 'string' ? value : null);
      return c.json(
        {
          data: rows.map((s) => ({
            id: String(s.id),
            anonymousId: String(s.anonymous_id),
            startedAt: isoOf(Number(s.started_ms)),
            lastSeen: isoOf(Number(s.last_seen_ms)),
            eventCount: Number(s.event_count),
            landingUrl: text(s.landing_url),
            referrer: text(s.referrer),
            referrerHost: text(s.referrer_host),
            utm: {
              source: text(s.utm_source),
              medium: text(s.utm_medium),
              campaign: text(s.utm_campaign),
              term: text(s.utm_term),
              content: text(s.utm_content),
            },
            browser: text(s.browser),
            browserVersion: text(s.browser_version),
            os: text(s.os),
            osVersion: text(s.os_version),
            deviceType: text(s.device_type),
            locale: text(s.locale),
            screen: text(s.screen),
            timezone: text(s.timezone),
          })),
        },
        200,
      );
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{lead}/transitions',
      summary: "A lead's stage history, oldest first",
      security: SECURITY,
      request: { params: leadParam },
      responses: {
        200: json(z.object({ data: z.array(transitionSchema) }), 'The transitions'),
        ...authErrors,
        ...notFoundError,
      },
    }),
    async (c) => {
      const siteId = c.get('site').id;
      const id = await leadIdOf(siteId, c.req.valid('param').lead);
      const rows = await queryRows<{
        from: Stage;
        to: Stage;
        mql: boolean;
        score: number;
        cause: string;
        reason: string | null;
        atMs: number;
      }>(
        db,
        sql`select from_stage as "from", to_stage as "to", mql, score, cause, reason, ${ms('at')} as "atMs"
            from lead_transitions where site_id = ${siteId} and lead_id = ${id} order by at, id`,
      );
      return c.json(
        {
          data: rows.map(({ atMs, score, ...t }) => ({
            ...t,
            score: Math.round(score * 100) / 100,
            at: isoOf(atMs),
          })),
        },
        200,
      );
    },
  );

  return router;
}
