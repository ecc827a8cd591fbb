import type { Stage } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { preparedRows } from '../db/prepared.ts';
import { type CursorPosition, decodeCursor, encodeCursor } from './cursor.ts';
import { LEAD_COLUMNS, type LeadRow, scoreLeadsNow, toLeadJson } from './lead-rows.ts';
import type { LeadJson } from './lead-schemas.ts';

export type LeadFilters = {
  stage?: Stage | undefined;
  mql?: boolean | undefined;
  minScore?: number | undefined;
  updatedSince?: string | undefined;
  limit: number;
  cursor?: string | undefined;
};

/** Rows looked at per request when `minScore` filters: past it, the page ends early with a cursor. */
const SCAN_BUDGET = 5_000;
const SCAN_PAGE = 200;

/**
 * A site's live leads in (updated_at, id) order. `minScore` filters on the exact score now, so it
 * is applied after reading: pages are scanned until `limit` leads match, the end is reached, or
 * the scan budget runs out (then the page may be short while `nextCursor` is not null).
 */
export async function listLeads(
  db: Db,
  siteId: string,
  filters: LeadFilters,
  now: Date,
): Promise<{ data: LeadJson[]; nextCursor: string | null }> {
  const data: LeadJson[] = [];
  const positionOf = (row: LeadRow): CursorPosition => ({ at: row.updatedAtKey, id: row.id });
  let after = decodeCursor(filters.cursor);
  let lastTaken: LeadRow | null = null;
  const batch = filters.minScore === undefined ? filters.limit + 1 : SCAN_PAGE;
  for (let scanned = 0; ; ) {
    // The site's rules version rides along (evaluated once): scoring the page then needs no query.
    const rows = await preparedRows<LeadRow & { currentRulesVersion: number }>(
      db,
      sql`select ${LEAD_COLUMNS},
            (select s.rules_version from sites s where s.id = ${siteId}) as "currentRulesVersion"
          from leads l
          where l.site_id = ${siteId} and l.merged_into is null
          ${filters.stage === undefined ? sql`` : sql`and l.stage = ${filters.stage}`}
          ${filters.mql === undefined ? sql`` : sql`and l.mql = ${filters.mql}`}
          ${filters.updatedSince === undefined ? sql`` : sql`and l.updated_at >= ${filters.updatedSince}::timestamptz`}
          ${after === null ? sql`` : sql`and (l.updated_at, l.id) > (${after.at}::timestamptz, ${after.id})`}
          order by l.updated_at, l.id limit ${batch}`,
    );
    for (const { row, reading } of await scoreLeadsNow(db, rows, now, rows[0]?.currentRulesVersion)) {
      if (filters.minScore !== undefined && reading.score < filters.minScore) continue;
      if (data.length === filters.limit) {
        return { data, nextCursor: lastTaken ? encodeCursor(positionOf(lastTaken)) : null };
      }
      data.push(toLeadJson(row, reading.score));
      lastTaken = row;
    }
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last) return { data, nextCursor: null };
    after = positionOf(last);
    scanned += rows.length;
    if (scanned >= SCAN_BUDGET) return { data, nextCursor: encodeCursor(after) };
  }
}
