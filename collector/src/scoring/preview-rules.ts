import { evaluateMql, parseScoringRules, type RulesIssue, readScore, scoreEvents } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { type LeadEventRow, selectLeadEvents } from './lead-sql.ts';
import { pagesOfLeads } from './reevaluate-leads.ts';
import { toScorable } from './stored-event.ts';

export type PreviewLead = { id: string; email: string | null; scoreBefore: number; scoreAfter: number };
export type RulesPreview = {
  leads: number;
  mqlBefore: number;
  mqlAfter: number;
  entering: PreviewLead[];
  leaving: PreviewLead[];
};

const LISTED = 100;

/**
 * Backtests proposed rules on a site's events: how many leads would be MQL now, and which would
 * enter or leave, without writing anything.
 */
export async function previewRules(
  db: Db,
  siteId: string,
  input: unknown,
  now: Date,
): Promise<{ ok: true; preview: RulesPreview } | { ok: false; issues: RulesIssue[] }> {
  const parsed = parseScoringRules(input);
  if (!parsed.ok) return parsed;
  const rules = parsed.rules;
  const preview: RulesPreview = { leads: 0, mqlBefore: 0, mqlAfter: 0, entering: [], leaving: [] };
  for await (const page of pagesOfLeads(db, siteId, 'all', 1000)) {
    const leads = await queryRows<{ id: string; email: string | null; mql: boolean; score: number }>(
      db,
      sql`select id, email, mql, score from leads where site_id = ${siteId} and id in ${page.map((p) => p.id)}`,
    );
    const events = await queryRows<LeadEventRow>(
      db,
      selectLeadEvents(page.map((p) => ({ site_id: siteId, id: p.id }))),
    );
    const byLead = new Map<string, LeadEventRow[]>();
    for (const row of events) byLead.set(row.leadId, [...(byLead.get(row.leadId) ?? []), row]);
    for (const lead of leads) {
      const state = scoreEvents(rules, (byLead.get(lead.id) ?? []).map(toScorable));
      const scoreAfter = readScore(rules, state, Math.max(now.getTime(), state.lastEventAt ?? 0)).score;
      const mqlAfter = evaluateMql(rules, { score: scoreAfter, email: lead.email, wasMql: lead.mql }).mql;
      preview.leads++;
      if (lead.mql) preview.mqlBefore++;
      if (mqlAfter) preview.mqlAfter++;
      const entry = { id: lead.id, email: lead.email, scoreBefore: lead.score, scoreAfter };
      if (mqlAfter && !lead.mql && preview.entering.length < LISTED) preview.entering.push(entry);
      if (!mqlAfter && lead.mql && preview.leaving.length < LISTED) preview.leaving.push(entry);
    }
  }
  return { ok: true, preview };
}
