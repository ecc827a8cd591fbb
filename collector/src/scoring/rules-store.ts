import { parseScoringRules, type RulesIssue, type ScoringRules } from '@leadbeam/scoring';
import { and, desc, eq } from 'drizzle-orm';
import type { Executor } from '../db/database.ts';
import { scoringRules, sites } from '../db/schema.ts';
import { siteKey } from '../db/site-key.ts';

export type VersionedRules = { version: number; rules: ScoringRules; createdAt: Date };

// A version's rules never change, so they are parsed once per process.
const parsed = new Map<string, VersionedRules>();

/** The rules of one version of a site's scoring, parsed and compiled. */
export async function loadRules(db: Executor, siteId: string, version: number): Promise<VersionedRules> {
  const cacheKey = siteKey(siteId, String(version));
  const hit = parsed.get(cacheKey);
  if (hit) return hit;
  const [row] = await db
    .select()
    .from(scoringRules)
    .where(and(eq(scoringRules.siteId, siteId), eq(scoringRules.version, version)))
    .limit(1);
  if (!row) throw new Error(`site ${siteId} has no scoring rules version ${version}`);
  const result = parseScoringRules(row.rules);
  if (!result.ok)
    throw new Error(`stored rules ${siteId} v${version} no longer parse: ${result.issues[0]?.message}`);
  const versioned = { version, rules: result.rules, createdAt: row.createdAt };
  if (parsed.size > 1000) parsed.clear();
  parsed.set(cacheKey, versioned);
  return versioned;
}

/** The rules a site scores with now. */
export async function loadCurrentRules(db: Executor, siteId: string): Promise<VersionedRules> {
  const [site] = await db
    .select({ version: sites.rulesVersion })
    .from(sites)
    .where(eq(sites.id, siteId))
    .limit(1);
  if (!site) throw new Error(`no site ${siteId}`);
  return loadRules(db, siteId, site.version);
}

/** Stores proposed rules as the site's next version; answers the validation issues when they do not parse. */
export async function saveRules(
  db: Executor,
  siteId: string,
  input: unknown,
): Promise<{ ok: true; version: number } | { ok: false; issues: RulesIssue[] }> {
  const result = parseScoringRules(input);
  if (!result.ok) return result;
  const [latest] = await db
    .select({ version: scoringRules.version })
    .from(scoringRules)
    .where(eq(scoringRules.siteId, siteId))
    .orderBy(desc(scoringRules.version))
    .limit(1);
  const version = (latest?.version ?? 0) + 1;
  await db.insert(scoringRules).values({ siteId, version, rules: result.rules.source });
  await db.update(sites).set({ rulesVersion: version }).where(eq(sites.id, siteId));
  return { ok: true, version };
}
