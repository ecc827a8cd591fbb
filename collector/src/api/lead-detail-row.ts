import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { preparedRows } from '../db/prepared.ts';
import { LEAD_COLUMNS, type LeadRow } from './lead-rows.ts';

export type DeviceRow = { anonymousId: string; firstSeenMs: number; lastSeenMs: number };

/** A live lead as its detail reads it: the row, its devices and sessions, and the site's rules version now. */
export type LeadDetailRow = LeadRow & {
  /** `sites.rules_version`, read in the same statement: the lead's score is read under it. */
  currentRulesVersion: number;
  /** In `first_seen, anonymous_id` order. */
  devices: DeviceRow[];
  sessionCount: number;
};

const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/**
 * A site's live lead by id or email (trimmed, lower-cased) with everything its detail shows, in
 * one statement: the row, the site's current rules version, its devices and its session count.
 * Null when no live lead has that id or email: an id merged into another lead is then followed
 * by the caller (`resolveLeadId`), which is rare; following it here (a recursive query) would
 * make every read pay for a costlier plan.
 */
export async function selectLeadDetail(
  db: Db,
  siteId: string,
  idOrEmail: string,
): Promise<LeadDetailRow | null> {
  const match = idOrEmail.includes('@')
    ? sql`l.email = ${idOrEmail.trim().toLowerCase()}`
    : sql`l.id = ${idOrEmail}`;
  const [row] = await preparedRows<LeadDetailRow>(
    db,
    sql`select ${LEAD_COLUMNS}, s.rules_version as "currentRulesVersion",
          coalesce((
            select json_agg(json_build_object('anonymousId', d.anonymous_id, 'firstSeenMs', ${ms('d.first_seen')},
                                              'lastSeenMs', ${ms('d.last_seen')})
                            order by d.first_seen, d.anonymous_id)
            from devices d where d.site_id = l.site_id and d.lead_id = l.id
          ), '[]'::json) as devices,
          (select count(*)::int from sessions se where se.site_id = l.site_id and se.lead_id = l.id) as "sessionCount"
        from leads l
        join sites s on s.id = l.site_id
        where l.site_id = ${siteId} and ${match} and l.merged_into is null
        limit 1`,
  );
  return row ?? null;
}
