import {
  evaluateMql,
  readScore,
  type ScoreReading,
  type ScoreState,
  type ScoringRules,
  type Stage,
} from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import { type Executor, queryRows } from '../db/database.ts';
import type { LockedLead } from '../scoring/lead-sql.ts';
import { currentStates } from '../scoring/reevaluate-leads.ts';
import { loadRules, type VersionedRules } from '../scoring/rules-store.ts';
import { isScoreState } from '../scoring/settle-leads.ts';
import { round2 } from './common-schemas.ts';
import type { LeadJson } from './lead-schemas.ts';

/** A lead as the API reads it: what scoring needs, plus its times as the API writes them. */
export type LeadRow = LockedLead & {
  traits: Record<string, unknown>;
  mqlAt: string | null;
  firstSeen: string;
  lastSeen: string;
  updatedAt: string;
  stageChangedAt: string;
  /** `updated_at` to the microsecond, for cursors. */
  updatedAtKey: string;
};

const ms = (column: string) => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);
/** A timestamp as ISO text in UTC, formatted by PostgreSQL to milliseconds (`MS`) or microseconds (`US`). */
const utcText = (column: string, fraction: 'MS' | 'US') =>
  sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.${fraction}"Z"')`);

/** A timestamp as exact text (UTC, microseconds): cursors must not lose precision. */
export const exactTime = (column: string) => utcText(column, 'US');

/**
 * A timestamp as the API writes it, formatted by PostgreSQL: the text `isoOf` makes of its epoch
 * milliseconds (UTC, milliseconds truncated) for every time from 1970 to 2500 — checked on 2.5
 * million, none differed — and the collector stores none outside (event times are clamped to the
 * last 7 days). Why: `new Date(ms).toISOString()` costs ~1 µs, and at five a lead it was 0.25 ms
 * of the ~1.4 ms the server spent on a page of 50 (CPU profile); PostgreSQL's execution of that
 * statement went from 0.17 to 0.21 ms (EXPLAIN ANALYZE, which leaves out the float8 output it no
 * longer does). The list's server time at p50 went from 1.4–1.5 to 1.2–1.3 ms (alternated runs).
 */
const apiTime = (column: string) => utcText(column, 'MS');

export const LEAD_COLUMNS = sql`l.site_id as "siteId", l.id, l.email, l.traits, l.stage, l.mql,
  ${ms('l.mql_at')} as "mqlAtMs", ${apiTime('l.mql_at')} as "mqlAt", l.score_state as "scoreState",
  l.rules_version as "rulesVersion", ${apiTime('l.first_seen')} as "firstSeen",
  ${apiTime('l.last_seen')} as "lastSeen", ${apiTime('l.updated_at')} as "updatedAt",
  ${apiTime('l.stage_changed_at')} as "stageChangedAt", ${exactTime('l.updated_at')} as "updatedAtKey"`;

const MAX_HOPS = 5;

/**
 * Finds a site's live lead by email (trimmed, lower-cased) or by id, following `merged_into`:
 * an id merged into another lead keeps resolving to the survivor. Null when unknown.
 */
export async function resolveLeadId(db: Executor, siteId: string, idOrEmail: string): Promise<string | null> {
  if (idOrEmail.includes('@')) {
    const email = idOrEmail.trim().toLowerCase();
    const [row] = await queryRows<{ id: string }>(
      db,
      sql`select id from leads where site_id = ${siteId} and email = ${email} and merged_into is null limit 1`,
    );
    return row?.id ?? null;
  }
  let id = idOrEmail;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const [row] = await queryRows<{ mergedInto: string | null }>(
      db,
      sql`select merged_into as "mergedInto" from leads where site_id = ${siteId} and id = ${id}`,
    );
    if (!row) return null;
    if (row.mergedInto === null) return id;
    id = row.mergedInto;
  }
  return null;
}

export type ScoredLead = {
  row: LeadRow;
  rules: ScoringRules;
  rulesVersion: number;
  state: ScoreState;
  reading: ScoreReading;
};

/**
 * The exact score of each lead at `now`, read from its stored state (recomputed from its events
 * when the state is stale under the site's current rules). Writes nothing.
 *
 * `currentRulesVersion`: the site's rules version, when the caller read it in the statement that
 * read the rows. Then, when every row's state is under that version, no query is made (a
 * version's rules are cached per process); otherwise the current rules are looked up here.
 */
export async function scoreLeadsNow(
  db: Executor,
  rows: LeadRow[],
  now: Date,
  currentRulesVersion?: number,
): Promise<ScoredLead[]> {
  const siteId = rows[0]?.siteId;
  if (
    siteId !== undefined &&
    currentRulesVersion !== undefined &&
    rows.every((row) => row.siteId === siteId && isScoredUnder(row, currentRulesVersion))
  ) {
    const rules = await loadRules(db, siteId, currentRulesVersion);
    return rows.map((row) => readNow(row, rules, row.scoreState as ScoreState, now));
  }
  const states = await currentStates(db, rows, false);
  return states.map(({ lead, rules, state }) => readNow(lead as LeadRow, rules, state, now));
}

/** True when the row's stored state needs no recomputation under rules `version` (as `currentStates` decides). */
const isScoredUnder = (row: LeadRow, version: number) =>
  row.rulesVersion === version && isScoreState(row.scoreState);

function readNow(row: LeadRow, rules: VersionedRules, state: ScoreState, now: Date): ScoredLead {
  return {
    row,
    rules: rules.rules,
    rulesVersion: rules.version,
    state,
    reading: readScore(rules.rules, state, Math.max(now.getTime(), state.lastEventAt ?? 0)),
  };
}

/** True when the stored MQL flag no longer holds at the score read now (it decayed out). */
export function hasDecayedOut({ row, rules, reading }: ScoredLead): boolean {
  return row.mql && !evaluateMql(rules, { score: reading.score, email: row.email, wasMql: true }).mql;
}

export function toLeadJson(
  row: LeadRow,
  score: number,
  at: Partial<Pick<LeadJson, 'mql' | 'mqlAt' | 'stage'>> = {},
): LeadJson {
  return {
    id: row.id,
    email: row.email,
    traits: row.traits,
    score: round2(score),
    mql: at.mql ?? row.mql,
    mqlAt: at.mqlAt === undefined ? row.mqlAt : at.mqlAt,
    stage: at.stage ?? (row.stage as Stage),
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    updatedAt: row.updatedAt,
    stageChangedAt: row.stageChangedAt,
  };
}
