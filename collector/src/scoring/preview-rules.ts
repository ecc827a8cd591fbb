import { createHash } from 'node:crypto';
import { parseScoringRules, type RulesIssue, type ScoringRulesSource } from '@leadbeam/scoring';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { type LeadEventRow, selectLeadEvents } from './lead-sql.ts';
import { pagesOfLeads } from './reevaluate-leads.ts';
import { scoringPool } from './scoring-pool.ts';
import { toScorable } from './stored-event.ts';

export type PreviewLead = { id: string; email: string | null; scoreBefore: number; scoreAfter: number };
export type RulesPreview = {
  leads: number;
  mqlBefore: number;
  mqlAfter: number;
  entering: PreviewLead[];
  leaving: PreviewLead[];
};

export type PreviewOutcome =
  | { ok: true; preview: RulesPreview }
  | { ok: false; reason: 'invalid'; issues: RulesIssue[] }
  | { ok: false; reason: 'busy' | 'timeout' };

const LISTED = 100;
const PAGE = 1000;

/**
 * Backtests proposed rules on a site's events: how many leads would be MQL now, and which would
 * enter or leave, without writing anything. The scoring runs on a scoring thread, page by page;
 * a site has one backtest at a time, and one that runs past `budgetMs` is stopped (its thread
 * with it) and answered `timeout`, so no site's backtest can hold the collector.
 */
export function createRulesPreviewer(budgetMs: number) {
  const running = new Set<string>();
  return async function previewRules(
    db: Db,
    siteId: string,
    input: unknown,
    now: Date,
  ): Promise<PreviewOutcome> {
    const parsed = parseScoringRules(input);
    if (!parsed.ok) return { ok: false, reason: 'invalid', issues: parsed.issues };
    if (running.has(siteId)) return { ok: false, reason: 'busy' };
    running.add(siteId);
    const deadline = AbortSignal.timeout(budgetMs);
    try {
      return { ok: true, preview: await backtest(db, siteId, parsed.rules.source, now, deadline) };
    } catch (error) {
      if (deadline.aborted) return { ok: false, reason: 'timeout' };
      throw error;
    } finally {
      running.delete(siteId);
    }
  };
}

async function backtest(
  db: Db,
  siteId: string,
  rules: ScoringRulesSource,
  now: Date,
  deadline: AbortSignal,
): Promise<RulesPreview> {
  const rulesKey = `preview:${createHash('sha256').update(JSON.stringify(rules)).digest('base64url')}`;
  const preview: RulesPreview = { leads: 0, mqlBefore: 0, mqlAfter: 0, entering: [], leaving: [] };
  for await (const page of pagesOfLeads(db, siteId, 'all', PAGE)) {
    deadline.throwIfAborted();
    const ids = page.map((p) => p.id);
    const leads = await queryRows<{ id: string; email: string | null; mql: boolean; score: number }>(
      db,
      sql`select id, email, mql, score from leads where site_id = ${siteId} and id in ${ids}`,
    );
    const events = await queryRows<LeadEventRow>(
      db,
      selectLeadEvents(ids.map((id) => ({ site_id: siteId, id }))),
    );
    deadline.throwIfAborted();
    const eventsOf = new Map<string, LeadEventRow[]>();
    for (const row of events) {
      const list = eventsOf.get(row.leadId);
      if (list) list.push(row);
      else eventsOf.set(row.leadId, [row]);
    }
    const after = await scoringPool().preview(
      {
        rulesKey,
        rules,
        nowMs: now.getTime(),
        leads: leads.map((lead) => ({
          email: lead.email,
          mql: lead.mql,
          events: (eventsOf.get(lead.id) ?? []).map(toScorable),
        })),
      },
      deadline,
    );
    leads.forEach((lead, index) => {
      const scoreAfter = after.scores[index] as number;
      const mqlAfter = after.mql[index] as boolean;
      preview.leads++;
      if (lead.mql) preview.mqlBefore++;
      if (mqlAfter) preview.mqlAfter++;
      const entry = { id: lead.id, email: lead.email, scoreBefore: lead.score, scoreAfter };
      if (mqlAfter && !lead.mql && preview.entering.length < LISTED) preview.entering.push(entry);
      if (!mqlAfter && lead.mql && preview.leaving.length < LISTED) preview.leaving.push(entry);
    });
  }
  return preview;
}
