import { evaluateMql, readScore, type ScoreState, scoreEvents } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Db, Executor } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { siteKey } from '../db/site-key.ts';
import { loadEventHistories } from './event-histories.ts';
import { type LockedLead, lockLeads } from './lead-sql.ts';
import { loadCurrentRules, type VersionedRules } from './rules-store.ts';
import { isScoreState, type SettleCause, type SettledLead, settleLeads } from './settle-leads.ts';
import { toScorable } from './stored-event.ts';

export type LeadKey = { siteId: string; id: string };

/** Each lead's state under the site's current rules: recomputed from events when stale or when asked. */
export async function currentStates(
  tx: Executor,
  leads: LockedLead[],
  recomputeAll: boolean,
): Promise<{ lead: LockedLead; rules: VersionedRules; state: ScoreState; events: number }[]> {
  const rulesOf = new Map<string, VersionedRules>();
  for (const siteId of new Set(leads.map((l) => l.siteId)))
    rulesOf.set(siteId, await loadCurrentRules(tx, siteId));
  const stale = leads.filter(
    (l) => recomputeAll || l.rulesVersion !== rulesOf.get(l.siteId)?.version || !isScoreState(l.scoreState),
  );
  const history = await loadEventHistories(tx, stale);
  const staleKeys = new Set(stale.map((l) => siteKey(l.siteId, l.id)));
  return leads.map((lead) => {
    const rules = rulesOf.get(lead.siteId) as VersionedRules;
    const events = history.get(siteKey(lead.siteId, lead.id)) ?? [];
    const state = staleKeys.has(siteKey(lead.siteId, lead.id))
      ? scoreEvents(rules.rules, events.map(toScorable))
      : (lead.scoreState as ScoreState);
    return { lead, rules, state, events: events.length };
  });
}

/**
 * Re-evaluates leads now, in one transaction: after a rules change (`rescore`: every lead
 * recomputed from its events) or as time passes (`decay`: only leads whose MQL flag flips are
 * written, so `updatedSince` stays meaningful).
 */
export async function reevaluateLeads(
  db: Db,
  keys: LeadKey[],
  now: Date,
  cause: Extract<SettleCause, 'decay' | 'rescore'>,
): Promise<{ settled: SettledLead[]; events: number }> {
  if (keys.length === 0) return { settled: [], events: 0 };
  return db.transaction(async (tx) => {
    const locked = await queryRows<LockedLead>(
      tx,
      lockLeads(keys.map((k) => ({ site_id: k.siteId, id: k.id }))),
    );
    const states = await currentStates(tx, locked, cause === 'rescore');
    const changed =
      cause === 'rescore'
        ? states
        : states.filter(({ lead, rules, state }) => {
            const at = Math.max(now.getTime(), state.lastEventAt ?? 0);
            const score = readScore(rules.rules, state, at).score;
            return evaluateMql(rules.rules, { score, email: lead.email, wasMql: lead.mql }).mql !== lead.mql;
          });
    const settled = await settleLeads(
      tx,
      changed.map(({ lead, rules, state }) => ({ lead, rules, state, cause })),
      now,
    );
    return { settled, events: states.reduce((sum, s) => sum + s.events, 0) };
  });
}

/** Walks a site's live leads in id order, a page at a time. */
export async function* pagesOfLeads(db: Executor, siteId: string, filter: 'all' | 'mql', pageSize = 500) {
  let after = '';
  for (;;) {
    const page = await queryRows<{ id: string }>(
      db,
      sql`select id from leads where site_id = ${siteId} and merged_into is null and id > ${after}
          ${filter === 'mql' ? sql`and mql` : sql``} order by id limit ${pageSize}`,
    );
    if (page.length === 0) return;
    yield page.map((row) => ({ siteId, id: row.id }));
    after = page[page.length - 1]?.id ?? after;
  }
}
