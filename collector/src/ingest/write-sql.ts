/**
 * The raw SQL of the write path, beside the schema it writes. Every statement takes its rows as
 * one json parameter (`json_to_recordset`): one round trip and one bind parameter per statement
 * however many rows, identical on PGlite and postgres.js. Parameterised, never concatenated.
 * `json`, not `jsonb`: PostgreSQL then reads each field straight from the text, where jsonb would
 * first build a tree of the whole parameter, every number parsed into a numeric (measured: 1,000
 * leads' settlement, 750 kB, took 85 ms to bind as jsonb and 26 ms as json).
 */
import { type SQL, sql } from 'drizzle-orm';
import { LOCKED_LEAD_COLUMNS } from '../scoring/lead-sql.ts';
import type { IdentityMove } from '../stitch/stitch-group.ts';

const rows = (value: unknown[]) => sql`${JSON.stringify(value)}::json`;

/**
 * Every join of the write path looks rows up by key from a small list. PostgreSQL guesses such a
 * list (`json_to_recordset`) at 100 rows and, on a small table, prefers to hash the whole table
 * (measured: a 1.4 ms sequential scan of 10,000 devices where 20 index probes take 0.15 ms). The
 * write transaction turns hash and merge joins off for itself, so every join is an index lookup
 * whatever the table's size.
 */
export const preferIndexLookups = (): SQL =>
  sql`select set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`;

/**
 * The group's first statement, one round trip: locks the known devices (in key order), then their
 * leads and the leads owning the emails being identified (in key order: devices before leads,
 * everywhere), and reads the events already stored (replays) and each site's rules version.
 * Each half of the lead lookup is an index lookup (primary key; `leads_site_email`): an `or` of
 * the two would make PostgreSQL scan the whole table.
 */
export const openGroup = (
  devices: { site_id: string; anonymous_id: string }[],
  emails: { site_id: string; email: string }[],
  events: { site_id: string; id: string }[],
  siteIds: string[],
): SQL => sql`
  with locked as materialized (
    select d.site_id, d.anonymous_id, d.lead_id
    from devices d
    join json_to_recordset(${rows(devices)}) as k(site_id text, anonymous_id text)
      on d.site_id = k.site_id and d.anonymous_id = k.anonymous_id
    order by d.site_id, d.anonymous_id
    for update of d),
  lead_keys as (
    select site_id, lead_id as id from locked
    union
    select o.site_id, o.id
    from json_to_recordset(${rows(emails)}) as y(site_id text, email text)
    join leads o on o.site_id = y.site_id and o.email = y.email and o.email is not null and o.merged_into is null),
  locked_leads as materialized (
    select ${LOCKED_LEAD_COLUMNS}
    from leads l join lead_keys k on l.site_id = k.site_id and l.id = k.id
    where l.merged_into is null
    order by l.site_id, l.id
    for update of l)
  select 'device' as kind, site_id as "siteId", anonymous_id as key, lead_id as value, null::json as lead
  from locked
  union all
  select 'lead', l."siteId", l.id, null, to_json(l) from locked_leads l
  union all
  select 'event', e.site_id, e.id, null, null
  from events e
  join json_to_recordset(${rows(events)}) as k(site_id text, id text) on e.site_id = k.site_id and e.id = k.id
  union all
  select 'site', s.id, s.id, s.rules_version::text, null
  from sites s where s.id in (select json_array_elements_text(${rows(siteIds)}))`;

export const lockDevices = (keys: { site_id: string; anonymous_id: string }[]): SQL => sql`
  select d.site_id as "siteId", d.anonymous_id as "anonymousId", d.lead_id as "leadId"
  from devices d
  join json_to_recordset(${rows(keys)}) as k(site_id text, anonymous_id text)
    on d.site_id = k.site_id and d.anonymous_id = k.anonymous_id
  order by d.site_id, d.anonymous_id
  for update of d`;

export const insertDevices = (
  devices: { site_id: string; anonymous_id: string; lead_id: string; ts: string }[],
): SQL => sql`
  insert into devices (site_id, anonymous_id, lead_id, first_seen, last_seen)
  select site_id, anonymous_id, lead_id, ts, ts
  from json_to_recordset(${rows(devices)}) as x(site_id text, anonymous_id text, lead_id text, ts timestamptz)
  order by site_id, anonymous_id
  on conflict do nothing
  returning site_id as "siteId", anonymous_id as "anonymousId", lead_id as "leadId"`;

export type MergeRow = IdentityMove;

/** Moves everything of merged anonymous leads into the surviving identified leads, and logs it. */
export const mergeLeads = (merges: MergeRow[]): SQL[] => {
  const merged = rows(merges);
  const mergeTable = sql`json_to_recordset(${merged}) as m(site_id text, from_id text, into_id text, anonymous_id text, event_id text, at timestamptz)`;
  return [
    sql`update events e set lead_id = m.into_id from ${mergeTable} where e.site_id = m.site_id and e.lead_id = m.from_id`,
    sql`update sessions s set lead_id = m.into_id from ${mergeTable} where s.site_id = m.site_id and s.lead_id = m.from_id`,
    sql`update devices d set lead_id = m.into_id from ${mergeTable} where d.site_id = m.site_id and d.lead_id = m.from_id`,
    // Leads merged earlier into the one merged now keep resolving in one hop.
    sql`update leads l set merged_into = m.into_id, updated_at = m.at
        from ${mergeTable} where l.site_id = m.site_id and (l.id = m.from_id or l.merged_into = m.from_id)`,
    sql`update leads l set first_seen = least(l.first_seen, f.first_seen)
        from (select m.site_id, m.into_id, min(o.first_seen) as first_seen from ${mergeTable}
              join leads o on o.site_id = m.site_id and o.id = m.from_id group by m.site_id, m.into_id) f
        where l.site_id = f.site_id and l.id = f.into_id`,
    sql`insert into lead_merges (site_id, kind, from_lead_id, to_lead_id, anonymous_id, event_id, at)
        select site_id, 'merge', from_id, into_id, anonymous_id, event_id, at from ${mergeTable}`,
  ];
};

export const logSwitches = (switches: MergeRow[]): SQL => sql`
  insert into lead_merges (site_id, kind, from_lead_id, to_lead_id, anonymous_id, event_id, at)
  select site_id, 'switch', from_id, into_id, anonymous_id, event_id, at
  from json_to_recordset(${rows(switches)})
    as m(site_id text, from_id text, into_id text, anonymous_id text, event_id text, at timestamptz)`;

export type EventRow = {
  site_id: string;
  id: string;
  lead_id: string;
  anonymous_id: string;
  session_id: string;
  type: string;
  ts: string;
  received_at: string;
  url: string | null;
  path: string | null;
  data: Record<string, unknown>;
};

export const insertEvents = (events: EventRow[]): SQL => sql`
  insert into events (site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, url, path, data)
  select site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, url, path, data
  from json_to_recordset(${rows(events)}) as x(site_id text, id text, lead_id text, anonymous_id text,
    session_id text, type text, ts timestamptz, received_at timestamptz, url text, path text, data json)
  on conflict do nothing
  returning site_id as "siteId", id`;

export type SessionRow = {
  site_id: string;
  id: string;
  lead_id: string;
  anonymous_id: string;
  started_at: string;
  last_seen: string;
  event_count: number;
  landing_url: string | null;
  referrer: string | null;
  referrer_host: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  browser: string | null;
  browser_version: string | null;
  os: string | null;
  os_version: string | null;
  device_type: string | null;
  locale: string | null;
  screen: string | null;
  timezone: string | null;
  ip_prefix: string | null;
};

export const upsertSessions = (sessions: SessionRow[]): SQL => sql`
  insert into sessions (site_id, id, lead_id, anonymous_id, started_at, last_seen, event_count, landing_url, referrer,
    referrer_host, utm_source, utm_medium, utm_campaign, utm_term, utm_content, browser, browser_version, os,
    os_version, device_type, locale, screen, timezone, ip_prefix)
  select * from json_to_recordset(${rows(sessions)}) as x(site_id text, id text, lead_id text, anonymous_id text,
    started_at timestamptz, last_seen timestamptz, event_count int, landing_url text, referrer text,
    referrer_host text, utm_source text, utm_medium text, utm_campaign text, utm_term text, utm_content text,
    browser text, browser_version text, os text, os_version text, device_type text, locale text, screen text,
    timezone text, ip_prefix text)
  order by site_id, id
  on conflict (site_id, id) do update set
    lead_id = excluded.lead_id,
    started_at = least(sessions.started_at, excluded.started_at),
    last_seen = greatest(sessions.last_seen, excluded.last_seen),
    event_count = sessions.event_count + excluded.event_count,
    landing_url = case when excluded.started_at < sessions.started_at and excluded.landing_url is not null
                       then excluded.landing_url else coalesce(sessions.landing_url, excluded.landing_url) end,
    referrer = coalesce(sessions.referrer, excluded.referrer),
    referrer_host = coalesce(sessions.referrer_host, excluded.referrer_host),
    utm_source = coalesce(sessions.utm_source, excluded.utm_source),
    utm_medium = coalesce(sessions.utm_medium, excluded.utm_medium),
    utm_campaign = coalesce(sessions.utm_campaign, excluded.utm_campaign),
    utm_term = coalesce(sessions.utm_term, excluded.utm_term),
    utm_content = coalesce(sessions.utm_content, excluded.utm_content)`;

export type DeviceSeen = { site_id: string; anonymous_id: string; lead_id: string; ts: string };

export const updateDevices = (devices: DeviceSeen[]): SQL => sql`
  update devices d set lead_id = x.lead_id, last_seen = greatest(d.last_seen, x.ts)
  from json_to_recordset(${rows(devices)}) as x(site_id text, anonymous_id text, lead_id text, ts timestamptz)
  where d.site_id = x.site_id and d.anonymous_id = x.anonymous_id`;

/**
 * The final select of a one-statement write: fails it (division by zero, `isGuardFailure`)
 * unless the part `insertPart` stored all `expected` rows, so the COMMIT sent behind it rolls back.
 */
export const failUnlessAllStored = (insertPart: string, expected: number): SQL =>
  sql`select 1 / (case when (select count(*) from ${sql.identifier(insertPart)}) = ${expected} then 1 else 0 end)`;
