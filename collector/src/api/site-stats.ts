import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/database.ts';

export type SiteStats = {
  leads: number;
  identifiedLeads: number;
  mqls: number;
  sqls: number;
  mqlToSqlRatio: number | null;
  medianSpeedToLeadSeconds: number | null;
};

/**
 * Funnel figures of a site's live leads (all of them, or the cohort first seen at or after
 * `since`): how many, identified, MQL now, SQL now; of the leads that ever entered MQL, the share
 * that later reached SQL; and the median time from a lead's first MQL entry to the first outcome
 * sales reported for it.
 */
export async function readSiteStats(db: Executor, siteId: string, since: string | null): Promise<SiteStats> {
  const [row] = await queryRows<SiteStats>(
    db,
    sql`with cohort as (
          select id, email, mql, stage from leads
          where site_id = ${siteId} and merged_into is null
          ${since === null ? sql`` : sql`and first_seen >= ${since}::timestamptz`}
        ),
        firsts as (
          select c.id,
            min(t.at) filter (where t.to_stage = 'mql') as mql_at,
            min(t.at) filter (where t.to_stage = 'sql') as sql_at
          from cohort c join lead_transitions t on t.site_id = ${siteId} and t.lead_id = c.id
          group by c.id
        ),
        speed as (
          select extract(epoch from min(t.at) - f.mql_at)::float8 as seconds
          from firsts f join lead_transitions t
            on t.site_id = ${siteId} and t.lead_id = f.id and t.cause = 'sales' and t.at >= f.mql_at
          where f.mql_at is not null
          group by f.id, f.mql_at
        )
        select
          (select count(*)::int from cohort) as "leads",
          (select count(*)::int from cohort where email is not null) as "identifiedLeads",
          (select count(*)::int from cohort where mql) as "mqls",
          (select count(*)::int from cohort where stage = 'sql') as "sqls",
          (select case when count(*) filter (where mql_at is not null) = 0 then null
                  else (count(*) filter (where sql_at >= mql_at))::float8 / count(*) filter (where mql_at is not null)
                  end from firsts) as "mqlToSqlRatio",
          (select percentile_cont(0.5) within group (order by seconds) from speed) as "medianSpeedToLeadSeconds"`,
  );
  if (!row) throw new Error('stats query answered no row');
  return row;
}
