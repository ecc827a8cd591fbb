import { type SQL, sql } from 'drizzle-orm';
import type { LeadRange } from './lead-ranges.ts';

/** `<column> > after and <column> <= through`, leaving out an open end. */
function inRange(column: SQL, { after, through }: LeadRange): SQL {
  const conditions = [
    ...(after === null ? [] : [sql`${column} > ${after}`]),
    ...(through === null ? [] : [sql`${column} <= ${through}`]),
  ];
  return conditions.length === 0 ? sql`true` : sql.join(conditions, sql` and `);
}

/**
 * Every `pageSize`-th live lead id of a site, ascending: the bounds of its re-score pages
 * (`rangesBetween`). One pass over the primary key, however many pages.
 */
export const selectPageBounds = (siteId: string, pageSize: number): SQL => sql`
  select id from (
    select id, row_number() over (order by id) as n
    from leads where site_id = ${siteId} and merged_into is null
  ) numbered
  where n % ${pageSize} = 0
  order by id`;

/** A live lead as a re-score needs it: a `LockedLead` without `scoreState`, which it recomputes. */
export type RangeLead = {
  id: string;
  email: string | null;
  stage: string;
  mql: boolean;
  mqlAtMs: number | null;
  rulesVersion: number;
};

/**
 * Locks the live leads of a range in id order (as `lockLeads` does, so the two never deadlock)
 * and answers them. Leads created in the range after the bounds were read are locked too, so
 * they are re-scored; merged ones are left out. Their old `score_state` is not read.
 */
export const lockLeadRange = (siteId: string, range: LeadRange): SQL => sql`
  select l.id, l.email, l.stage, l.mql, (extract(epoch from l.mql_at) * 1000)::float8 as "mqlAtMs",
    l.rules_version as "rulesVersion"
  from leads l
  where l.site_id = ${siteId} and ${inRange(sql`l.id`, range)} and l.merged_into is null
  order by l.id
  for update of l`;

/**
 * The events of every lead of a range, one row per lead: its events as JSON text, each
 * `[type, tsMs, url, path, data]` (`scorableHistory`). A single index range scan, and one
 * value to parse per lead instead of five per event. Events are not ordered: `scoreEvents` sorts
 * them, and events of one instant count the same in any order.
 *
 * Must run after `lockLeadRange`, in its own statement: under READ COMMITTED a statement that
 * waited for a row lock still reads other tables as of its start, so one statement that locked
 * and read would miss the events of the ingest it waited for.
 */
export const selectRangeHistories = (siteId: string, range: LeadRange): SQL => sql`
  select e.lead_id as "leadId",
    json_agg(json_build_array(e.type, (extract(epoch from e.ts) * 1000)::float8, e.url, e.path, e.data))::text
      as events
  from events e
  where e.site_id = ${siteId} and ${inRange(sql`e.lead_id`, range)}
  group by e.lead_id`;
