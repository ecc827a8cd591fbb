import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { saveRules } from '../scoring/rules-store.ts';
import { createTestCollector, DEMO_RULES, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';
import { apiClient, sendBuyingVisit, VISIT_POINTS } from './api-test-kit.ts';

/**
 * The reads' less travelled paths: a lead whose stored state predates the site's rules (read,
 * not written), ids merged along a chain, and a lead's devices in order.
 */
/** Lead ids are uuids, as ingestion makes them; these spell out which test lead they are. */
const chain = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const ORPHAN = '00000000-0000-4000-8000-0000000000a0';
const NOBODY = '00000000-0000-4000-8000-0000000000a1';
const MICRO_TIMES = '00000000-0000-4000-8000-0000000000b0';
const MANY_DEVICES = '00000000-0000-4000-8000-0000000000c0';

describe.each(DATABASE_KINDS)('lead reads off the common path on %s', (kind) => {
  let t: TestCollector;
  let api: ReturnType<typeof apiClient>;
  beforeAll(async () => {
    t = await createTestCollector(kind);
    api = apiClient(t);
    await sendBuyingVisit(t, 'kim@acme.test');
  });
  afterAll(() => t.close());

  /** Leads inserted as they are stored, unscored (rules version 0). */
  const insertLead = (id: string, mergedInto: string | null = null) =>
    t.db.execute(sql`insert into leads (site_id, id, merged_into, first_seen, last_seen)
      values (${t.site.id}, ${id}, ${mergedInto}, now(), now())`);

  it('reads a lead stored under older rules under the current ones, writing nothing', async () => {
    const rules = {
      ...DEMO_RULES,
      rules: DEMO_RULES.rules.map((rule) => (rule.id === 'demo' ? { ...rule, points: 10 } : rule)),
    };
    expect(await saveRules(t.db, t.site.id, rules)).toEqual({ ok: true, version: 2 });
    const lead = await api('GET', '/v1/leads/kim@acme.test');
    expect(lead.body).toMatchObject({ score: VISIT_POINTS - 30, rulesVersion: 2, mql: true });
    const listed = (await api('GET', '/v1/leads')).body.data.find(
      (l: { email: string | null }) => l.email === 'kim@acme.test',
    );
    expect(listed.score).toBe(VISIT_POINTS - 30);
    const [stored] = await queryRows<{ rulesVersion: number }>(
      t.db,
      sql`select rules_version as "rulesVersion" from leads where site_id = ${t.site.id} and id = ${lead.body.id}`,
    );
    expect(stored?.rulesVersion).toBe(1);
  });

  it('follows an id along a chain of merges to the live lead, at most five rows deep', async () => {
    await insertLead(chain(6));
    for (let n = 5; n >= 1; n--) await insertLead(chain(n), chain(n + 1));
    expect((await api('GET', `/v1/leads/${chain(5)}`)).body.id).toBe(chain(6));
    expect((await api('GET', `/v1/leads/${chain(2)}`)).body.id).toBe(chain(6));
    expect((await api('GET', `/v1/leads/${chain(1)}`)).status).toBe(404);
  });

  it('answers 404 for a merged id whose survivor is gone', async () => {
    await insertLead(ORPHAN, NOBODY);
    expect((await api('GET', `/v1/leads/${ORPHAN}`)).status).toBe(404);
  });

  it('writes stored times to the millisecond, truncated, as toISOString does', async () => {
    await t.db.execute(sql`insert into leads (site_id, id, first_seen, last_seen, mql_at, stage_changed_at, updated_at)
      values (${t.site.id}, ${MICRO_TIMES}, '2026-11-20 10:00:00.999999+00', '2026-11-20 10:00:01.0005+00',
              '1999-12-31 23:59:59.9999+00', '2026-11-20 10:00:02.001999+00', '1970-01-01 00:00:00.000001+00')`);
    const times = {
      firstSeen: '2026-11-20T10:00:00.999Z',
      lastSeen: '2026-11-20T10:00:01.000Z',
      mqlAt: '1999-12-31T23:59:59.999Z',
      stageChangedAt: '2026-11-20T10:00:02.001Z',
      updatedAt: '1970-01-01T00:00:00.000Z',
    };
    expect((await api('GET', `/v1/leads/${MICRO_TIMES}`)).body).toMatchObject(times);
    const listed = (await api('GET', '/v1/leads?limit=1')).body.data[0];
    expect(listed).toMatchObject({ id: MICRO_TIMES, ...times });
  });

  it("lists a lead's devices by first sight, then id, and counts its sessions", async () => {
    await insertLead(MANY_DEVICES);
    const seen = ['2026-11-20T10:00:00Z', '2026-11-19T10:00:00Z', '2026-11-20T10:00:00Z'];
    for (const [i, at] of seen.entries()) {
      await t.db.execute(sql`insert into devices (site_id, anonymous_id, lead_id, first_seen, last_seen)
        values (${t.site.id}, ${`dev-${3 - i}`}, ${MANY_DEVICES}, ${at}::timestamptz, ${at}::timestamptz)`);
      await t.db.execute(sql`insert into sessions (site_id, id, lead_id, anonymous_id, started_at, last_seen)
        values (${t.site.id}, ${`ses-${i}`}, ${MANY_DEVICES}, ${`dev-${3 - i}`}, ${at}::timestamptz, ${at}::timestamptz)`);
    }
    const lead = await api('GET', `/v1/leads/${MANY_DEVICES}`);
    expect(lead.body.devices).toEqual({
      count: 3,
      list: [
        { anonymousId: 'dev-2', firstSeen: '2026-11-19T10:00:00.000Z', lastSeen: '2026-11-19T10:00:00.000Z' },
        { anonymousId: 'dev-1', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' },
        { anonymousId: 'dev-3', firstSeen: '2026-11-20T10:00:00.000Z', lastSeen: '2026-11-20T10:00:00.000Z' },
      ],
    });
    expect(lead.body.sessions).toEqual({ count: 3 });
    expect((await api('GET', `/v1/leads/${chain(6)}`)).body).toMatchObject({
      devices: { count: 0, list: [] },
      sessions: { count: 0 },
    });
  });
});
