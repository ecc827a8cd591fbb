import { type SQL, sql } from 'drizzle-orm';
import type { StatementPart } from '../db/one-statement.ts';

const rows = (value: unknown[]) => sql`${JSON.stringify(value)}::json`;
const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

/** A lead as scoring sees it, locked for the rest of the transaction. */
export type LockedLead = {
  siteId: string;
  id: string;
  email: string | null;
  stage: string;
  mql: boolean;
  mqlAtMs: number | null;
  scoreState: unknown;
  rulesVersion: number;
};

/** The columns of `LockedLead`, of leads aliased `l`. */
export const LOCKED_LEAD_COLUMNS = sql`l.site_id as "siteId", l.id, l.email, l.stage, l.mql,
  ${ms('l.mql_at')} as "mqlAtMs", l.score_state as "scoreState", l.rules_version as "rulesVersion"`;

export const lockLeads = (keys: { site_id: string; id: string }[]): SQL => sql`
  select ${LOCKED_LEAD_COLUMNS}
  from leads l
  join json_to_recordset(${rows(keys)}) as k(site_id text, id text) on l.site_id = k.site_id and l.id = k.id
  where l.merged_into is null
  order by l.site_id, l.id
  for update of l`;

export type LeadEventRow = {
  siteId: string;
  leadId: string;
  type: string;
  tsMs: number;
  url: string | null;
  path: string | null;
  data: Record<string, unknown>;
};

export const selectLeadEvents = (keys: { site_id: string; id: string }[]): SQL => sql`
  select e.site_id as "siteId", e.lead_id as "leadId", e.type, ${ms('e.ts')} as "tsMs", e.url, e.path, e.data
  from events e
  join json_to_recordset(${rows(keys)}) as k(site_id text, id text) on e.site_id = k.site_id and e.lead_id = k.id`;

/**
 * What scoring writes of one lead. `is_new`: created in this transaction (inserted whole, never
 * written twice); otherwise the locked row is updated, merging `email` (first claim wins) and
 * `traits` into what it has.
 */
export type LeadWrite = {
  site_id: string;
  id: string;
  is_new: boolean;
  email: string | null;
  traits: Record<string, unknown>;
  score: number;
  score_at: string;
  score_state: unknown;
  rules_version: number;
  mql: boolean;
  mql_at: string | null;
  stage: string;
  stage_changed: boolean;
  first_seen: string | null;
  last_seen: string | null;
  /** New leads only: merged in the transaction that created them. */
  merged_into: string | null;
  updated_at: string;
};

const LEAD_WRITE_COLUMNS = sql.raw(`site_id text, id text, email text, traits jsonb, score float8,
  score_at timestamptz, score_state json, rules_version int, mql boolean, mql_at timestamptz, stage text,
  stage_changed boolean, first_seen timestamptz, last_seen timestamptz, merged_into text, updated_at timestamptz`);

const insertNewLeads = (leads: LeadWrite[]): SQL => sql`
  insert into leads (site_id, id, email, traits, stage, mql, mql_at, score, score_at, score_state, rules_version,
    first_seen, last_seen, merged_into, stage_changed_at, updated_at)
  select site_id, id, email, traits, stage, mql, mql_at, score, score_at, score_state, rules_version,
    coalesce(first_seen, updated_at), coalesce(last_seen, first_seen, updated_at), merged_into,
    case when stage_changed then updated_at else coalesce(first_seen, updated_at) end, updated_at
  from json_to_recordset(${rows(leads)}) as x(${LEAD_WRITE_COLUMNS})`;

const updateLockedLeads = (leads: LeadWrite[]): SQL => sql`
  update leads l set
    email = coalesce(l.email, x.email), traits = l.traits || x.traits,
    score = x.score, score_at = x.score_at, score_state = x.score_state, rules_version = x.rules_version,
    mql = x.mql, mql_at = coalesce(x.mql_at, l.mql_at), stage = x.stage,
    stage_changed_at = case when x.stage_changed then x.updated_at else l.stage_changed_at end,
    first_seen = least(l.first_seen, coalesce(x.first_seen, l.first_seen)),
    last_seen = greatest(l.last_seen, coalesce(x.last_seen, l.last_seen)),
    updated_at = x.updated_at
  from json_to_recordset(${rows(leads)}) as x(${LEAD_WRITE_COLUMNS})
  where l.site_id = x.site_id and l.id = x.id`;

/**
 * Everything settling leads writes — new leads inserted, locked leads updated, stage transitions
 * recorded, webhooks put in the outbox — as parts of one statement (`asOneStatement`).
 */
export function settlementParts(
  leads: LeadWrite[],
  transitions: TransitionRow[],
  outbox: SQL | null,
): StatementPart[] {
  const parts: StatementPart[] = [];
  const inserts = leads.filter((lead) => lead.is_new);
  const updates = leads.filter((lead) => !lead.is_new);
  if (inserts.length > 0) parts.push(['leads_inserted', insertNewLeads(inserts)]);
  if (updates.length > 0) parts.push(['leads_updated', updateLockedLeads(updates)]);
  if (transitions.length > 0) parts.push(['transitions_recorded', insertTransitions(transitions)]);
  if (outbox) parts.push(['webhooks_queued', outbox]);
  return parts;
}

export type TransitionRow = {
  site_id: string;
  lead_id: string;
  from_stage: string;
  to_stage: string;
  mql: boolean;
  score: number;
  cause: string;
  reason: string | null;
  at: string;
};

export const insertTransitions = (transitions: TransitionRow[]): SQL => sql`
  insert into lead_transitions (site_id, lead_id, from_stage, to_stage, mql, score, cause, reason, at)
  select site_id, lead_id, from_stage, to_stage, mql, score, cause, reason, at
  from json_to_recordset(${rows(transitions)}) as x(site_id text, lead_id text, from_stage text, to_stage text,
    mql boolean, score float8, cause text, reason text, at timestamptz)`;
