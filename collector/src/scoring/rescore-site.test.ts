import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { createSite } from '../sites/site-store.ts';
import { DEMO_RULES } from '../testing/test-collector.ts';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../testing/test-databases.ts';
import { rangesBetween } from './lead-ranges.ts';
import { pagesOfLeads, reevaluateLeads } from './reevaluate-leads.ts';
import { rescoreConcurrency } from './rescore-concurrency.ts';
import { rescorePage } from './rescore-page.ts';
import { rescoreSite } from './rescore-site.ts';
import { selectPageBounds } from './rescore-sql.ts';

const NOW = new Date('2026-11-23T10:00:00.000Z');
const LEADS = 40;

/**
 * The same unscored leads on any site (ids `lead-01`…): visitors, identified leads, MQLs and a
 * sales-owned SQL under rules version 0, some merged, some without events, with events of every
 * scored kind — two of them at the same instant — and one left on a merged lead.
 */
async function seed(db: Db, siteId: string): Promise<void> {
  const id = sql`'lead-' || lpad(n::text, 2, '0')`;
  await db.execute(sql`
    insert into leads (site_id, id, email, stage, mql, mql_at, score_state, rules_version, first_seen, last_seen,
                       stage_changed_at, merged_into)
    select ${siteId}, ${id},
      case when n % 4 = 0 or n % 10 in (3, 7) then 'p' || n || '@firm.test' end,
      case when n % 10 = 3 then 'mql' when n % 10 = 7 then 'sql' when n % 4 = 0 then 'lead' else 'visitor' end,
      n % 10 in (3, 7), case when n % 10 in (3, 7) then timestamptz '2026-11-01' end, '{}'::jsonb, 0,
      timestamptz '2026-11-01', timestamptz '2026-11-20', timestamptz '2026-11-01',
      case when n in (5, 6) then 'lead-04' end
    from generate_series(1, ${LEADS}) n`);
  await db.execute(sql`
    insert into webhooks (site_id, id, url, secret_ciphertext, event_types)
    values (${siteId}, 'hook', 'https://hooks.test/', 'x',
            array['lead.mql', 'lead.unqualified', 'lead.stage_changed', 'lead.merged'])`);
  await db.execute(sql`
    insert into events (site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, url, path, data)
    select ${siteId}, 'ev-' || n || '-' || i, ${id}, 'dev-' || n, 'ses-' || n, e.type,
      timestamptz '2026-11-20' - make_interval(days => n % 9, mins => 10 - least(i, 8)), timestamptz '2026-11-20',
      'https://acme.test' || e.path, e.path, e.data
    from generate_series(1, ${LEADS}) n
    cross join generate_series(0, 9) i
    cross join lateral (
      select
        (array['page_view','page_view','page_view','download','form_step','form_step','form_step',
               'form_submit','thank_you','action'])[i + 1] as type,
        (array['/','/pricing','/careers','/resources','/demo','/demo','/demo','/demo','/thanks','/demo'])[i + 1]
          as path,
        (array['{}','{"tags":["pricing"]}','{}','{"href":"https://acme.test/g.pdf","tags":["whitepaper"]}',
               '{"form":"demo-request","step":1}','{"form":"demo-request","step":2}',
               '{"form":"demo-request","step":3}','{"form":"demo-request"}','{"conversion":"demo-request"}',
               '{"name":"book-call"}'])[i + 1]::jsonb as data
    ) e
    where n % 11 <> 0 and i < 3 + n % 8`);
}

/** What a re-score leaves behind on a site, comparable across sites (generated ids left out). */
async function outcome(db: Db, siteId: string) {
  const leads = await queryRows(
    db,
    sql`select id, email, score, mql, mql_at::text as "mqlAt", stage, stage_changed_at::text as "stageChangedAt",
          score_state::text as "scoreState", rules_version as "rulesVersion", merged_into as "mergedInto"
        from leads where site_id = ${siteId} order by id`,
  );
  const transitions = await queryRows(
    db,
    sql`select lead_id as "leadId", from_stage as "from", to_stage as "to", mql, score, cause, reason, at::text
        from lead_transitions where site_id = ${siteId} order by lead_id, id`,
  );
  const hooks = await queryRows<{ leadId: string; type: string; payload: { data: unknown } }>(
    db,
    sql`select lead_id as "leadId", event_type as "type", payload from webhook_deliveries where site_id = ${siteId}`,
  );
  const deliveries = hooks.map((hook) => JSON.stringify([hook.leadId, hook.type, hook.payload.data])).sort();
  return { leads, transitions, deliveries };
}

/** The re-score as it was before ranges and concurrency: pages of ids, one after another. */
async function serialRescore(db: Db, siteId: string) {
  let leads = 0;
  let events = 0;
  for await (const page of pagesOfLeads(db, siteId, 'all', 1000)) {
    const result = await reevaluateLeads(db, page, NOW, 'rescore');
    leads += result.settled.length;
    events += result.events;
  }
  return { leads, events };
}

describe.each(DATABASE_KINDS)('rescoreSite on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  const newSite = async () => {
    const site = await createSite(db, { name: 'Acme', rules: DEMO_RULES });
    await seed(db, site.id);
    return site.id;
  };
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    db = database.db;
  });
  afterAll(() => database.drop());

  it('gives the scores, flags, stages, transitions and webhooks the serial re-score gave', async () => {
    const reference = await newSite();
    const expected = await serialRescore(db, reference);
    const reference2 = await outcome(db, reference);
    expect(reference2.transitions.length).toBeGreaterThan(5);
    expect(reference2.deliveries.length).toBeGreaterThan(5);
    for (const options of [{ concurrency: 3, pageSize: 4 }, { concurrency: 1, pageSize: 7 }, {}]) {
      const siteId = await newSite();
      expect(await rescoreSite(db, siteId, NOW, options)).toEqual(expected);
      expect(await outcome(db, siteId)).toEqual(reference2);
    }
  });

  it('visits every live lead once: leads created in a range after the bounds were read too, merged ones not', async () => {
    const siteId = await newSite();
    const bounds = await queryRows<{ id: string }>(db, selectPageBounds(siteId, 5));
    expect(bounds.map((b) => b.id)).toEqual([
      'lead-07',
      'lead-12',
      'lead-17',
      'lead-22',
      'lead-27',
      'lead-32',
      'lead-37',
    ]);
    const ranges = rangesBetween(bounds.map((b) => b.id));
    // Meanwhile: a lead is created inside the second range, one past the last bound, and one is merged.
    await db.execute(sql`
      insert into leads (site_id, id, stage, first_seen, last_seen)
      values (${siteId}, 'lead-10a', 'visitor', ${NOW.toISOString()}, ${NOW.toISOString()}), (${siteId}, 'lead-99', 'visitor', ${NOW.toISOString()}, ${NOW.toISOString()})`);
    await db.execute(
      sql`update leads set merged_into = 'lead-08' where site_id = ${siteId} and id = 'lead-09'`,
    );
    let leads = 0;
    for (const range of ranges) leads += (await rescorePage(db, siteId, range, NOW)).leads;
    const [live] = await queryRows<{ n: number; stale: number }>(
      db,
      sql`select count(*)::int as n, count(*) filter (where rules_version <> 1)::int as stale
          from leads where site_id = ${siteId} and merged_into is null`,
    );
    expect(leads).toBe(live?.n);
    expect(live?.stale).toBe(0);
    const [merged] = await queryRows<{ rulesVersion: number }>(
      db,
      sql`select rules_version as "rulesVersion" from leads where site_id = ${siteId} and id = 'lead-09'`,
    );
    expect(merged?.rulesVersion).toBe(0);
  });

  it('reads, after taking the locks, the events a writer holding a lead committed', async () => {
    const siteId = await newSite();
    const count = async () =>
      (
        await queryRows<{ n: number }>(
          db,
          sql`select count(*)::int as n from events e join leads l on l.site_id = e.site_id and l.id = e.lead_id
              where e.site_id = ${siteId} and l.merged_into is null`,
        )
      )[0]?.n;
    const before = await count();
    let rescore: Promise<{ leads: number; events: number }> | undefined;
    await db.transaction(async (tx) => {
      await tx.execute(sql`select id from leads where site_id = ${siteId} and id = 'lead-02' for update`);
      // PostgreSQL: the re-score now waits for lead-02; PGlite: for this transaction.
      rescore = rescoreSite(db, siteId, NOW, { concurrency: 3, pageSize: 4 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await tx.execute(sql`
        insert into events (site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, url, path, data)
        values (${siteId}, 'ev-late', 'lead-02', 'dev-2', 'ses-2', 'form_submit', ${NOW.toISOString()}, ${NOW.toISOString()},
                'https://acme.test/demo', '/demo', '{"form":"demo-request"}'::jsonb)`);
    });
    const result = await rescore;
    expect(result?.events).toBe((before ?? 0) + 1);
    const [lead] = await queryRows<{ scoreState: { rules: Record<string, unknown> } }>(
      db,
      sql`select score_state as "scoreState" from leads where site_id = ${siteId} and id = 'lead-02'`,
    );
    expect(lead?.scoreState.rules.demo).toMatchObject({ events: 1, rawPoints: 40 });
  });

  it('works on several pages at once over a pool of connections, one at a time on PGlite', () => {
    if (kind === 'pglite') expect(rescoreConcurrency(db)).toBe(1);
    else expect(rescoreConcurrency(db)).toBeGreaterThan(1);
  });
});
