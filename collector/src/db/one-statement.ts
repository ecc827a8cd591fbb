import { type SQL, sql } from 'drizzle-orm';

/** A named data-modifying statement, to be run as a CTE of a larger one. */
export type StatementPart = readonly [name: string, statement: SQL];

/**
 * Several data-modifying statements as one — `with a as (…), b as (…) <final>` — so they cost
 * one round trip. PostgreSQL runs every part exactly once and to completion, on one snapshot:
 * parts must not depend on each other's writes. Null when there is no part.
 */
export function asOneStatement(parts: readonly StatementPart[], final: SQL = sql`select 1`): SQL | null {
  if (parts.length === 0) return null;
  return sql`with ${sql.join(
    parts.map(([name, statement]) => sql`${sql.identifier(name)} as (${statement})`),
    sql`, `,
  )} ${final}`;
}
