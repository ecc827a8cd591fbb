import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { createTestCollector, page, type TestCollector } from '../testing/test-collector.ts';
import { DATABASE_KINDS } from '../testing/test-databases.ts';

type LeadRow = { id: string; email: string | null; mergedInto: string | null; stage: string };

describe.each(DATABASE_KINDS)('identity stitching on %s', (kind) => {
  let t: TestCollector;
  beforeAll(async () => {
    t = await createTestCollector(kind);
  });
  afterAll(() => t.close());

  const leadOf = async (anonymousId: string) =>
    (
      await queryRows<{ leadId: string }>(
        t.db,
        sql`select lead_id as "leadId" from devices where site_id = ${t.site.id} and anonymous_id = ${anonymousId}`,
      )
    )[0]?.leadId;
  const lead = async (id: string) =>
    (
      await queryRows<LeadRow>(
        t.db,
        sql`select id, email, merged_into as "mergedInto", stage from leads where site_id = ${t.site.id} and id = ${id}`,
      )
    )[0];
  const eventsOf = async (leadId: string) =>
    (
      await queryRows<{ n: number }>(
        t.db,
        sql`select count(*)::int as n from events where site_id = ${t.site.id} and lead_id = ${leadId}`,
      )
    )[0]?.n;
  const mergesTo = async (leadId: string) =>
    queryRows<{ kind: string; fromLeadId: string }>(
      t.db,
      sql`select kind, from_lead_id as "fromLeadId" from lead_merges where site_id = ${t.site.id} and to_lead_id = ${leadId} order by id`,
    );
  const identify = (email: string, traits = {}) => ({ type: 'identify' as const, email, traits });

  it('starts an anonymous lead for an unknown device', async () => {
    await t.send({ anonymousId: 'anon-only-0001', events: [page('/')] });
    const id = await leadOf('anon-only-0001');
    expect(await lead(id ?? '')).toMatchObject({ email: null, stage: 'visitor', mergedInto: null });
  });

  it('lets an anonymous lead take a new email (trimmed, lower-cased)', async () => {
    await t.send({
      anonymousId: 'claim-dev-0001',
      events: [page('/pricing'), identify('  Jane@Acme.TEST ', { company: 'Acme' })],
    });
    const id = (await leadOf('claim-dev-0001')) ?? '';
    expect(await lead(id)).toMatchObject({ email: 'jane@acme.test', mergedInto: null });
    expect(await eventsOf(id)).toBe(2);
  });

  it('merges an anonymous lead into the lead that has the email; the old id keeps resolving', async () => {
    const identified = (await leadOf('claim-dev-0001')) ?? '';
    await t.send({
      anonymousId: 'second-dev-0001',
      sessionId: 'second-ses-0001',
      events: [page('/'), page('/whitepaper')],
    });
    const anonymous = (await leadOf('second-dev-0001')) ?? '';
    expect(anonymous).not.toBe(identified);
    await t.send({
      anonymousId: 'second-dev-0001',
      sessionId: 'second-ses-0001',
      events: [identify('jane@acme.test')],
    });
    expect(await leadOf('second-dev-0001')).toBe(identified);
    expect(await lead(anonymous)).toMatchObject({ mergedInto: identified });
    expect(await eventsOf(identified)).toBe(5);
    expect(await eventsOf(anonymous)).toBe(0);
    const [session] = await queryRows<{ leadId: string }>(
      t.db,
      sql`select lead_id as "leadId" from sessions where id = 'second-ses-0001'`,
    );
    expect(session?.leadId).toBe(identified);
    expect(await mergesTo(identified)).toEqual([{ kind: 'merge', fromLeadId: anonymous }]);
  });

  it('joins a second device identifying the same email in one batch (cross-device)', async () => {
    const identified = (await leadOf('claim-dev-0001')) ?? '';
    await t.send({
      anonymousId: 'phone-dev-0001',
      events: [page('/'), identify('jane@acme.test'), page('/demo')],
    });
    expect(await leadOf('phone-dev-0001')).toBe(identified);
    expect(await eventsOf(identified)).toBe(8);
  });

  it('treats a replayed identify as nothing new', async () => {
    const identified = (await leadOf('claim-dev-0001')) ?? '';
    const merges = (await mergesTo(identified)).length;
    await t.send({ anonymousId: 'claim-dev-0001', events: [identify('jane@acme.test')] });
    expect(await leadOf('claim-dev-0001')).toBe(identified);
    expect(await mergesTo(identified)).toHaveLength(merges);
  });

  it('never merges two identified leads: a shared computer switches to the other person', async () => {
    const jane = (await leadOf('claim-dev-0001')) ?? '';
    const janeEvents = await eventsOf(jane);
    await t.send({ anonymousId: 'claim-dev-0001', events: [identify('joe@acme.test'), page('/careers')] });
    const joe = (await leadOf('claim-dev-0001')) ?? '';
    expect(joe).not.toBe(jane);
    expect(await lead(joe)).toMatchObject({ email: 'joe@acme.test', mergedInto: null, stage: 'lead' });
    expect(await lead(jane)).toMatchObject({ email: 'jane@acme.test', mergedInto: null });
    expect(await eventsOf(jane)).toBe(janeEvents);
    expect(await eventsOf(joe)).toBe(2);
    expect(await mergesTo(joe)).toEqual([{ kind: 'switch', fromLeadId: jane }]);
    // And back again: the device switches to Jane's existing lead, nothing merges.
    await t.send({ anonymousId: 'claim-dev-0001', events: [identify('jane@acme.test')] });
    expect(await leadOf('claim-dev-0001')).toBe(jane);
    expect(await lead(joe)).toMatchObject({ mergedInto: null });
  });

  it('starts afresh after reset: a new anonymous id is a new anonymous lead', async () => {
    await t.send({ anonymousId: 'after-reset-0001', events: [page('/')] });
    const fresh = (await leadOf('after-reset-0001')) ?? '';
    expect(await lead(fresh)).toMatchObject({ email: null, stage: 'visitor' });
  });

  it.each(['null', 'undefined', '0', 'anonymous', '00000000'])(
    'refuses the junk anonymous id %s',
    async (junk) => {
      const answer = await t.send({ anonymousId: junk, events: [page('/')] });
      expect(answer.status).toBe(400);
      expect(await leadOf(junk)).toBeUndefined();
    },
  );

  it('keeps merges right when many devices identify the same email at once', async () => {
    const devices = Array.from({ length: 8 }, (_, i) => `race-dev-${String(i).padStart(4, '0')}`);
    await Promise.all(
      devices.map((anonymousId) => t.send({ anonymousId, events: [page('/'), identify('race@acme.test')] })),
    );
    const leads = new Set(await Promise.all(devices.map(leadOf)));
    expect(leads.size).toBe(1);
    const [only] = [...leads];
    expect(await lead(only ?? '')).toMatchObject({ email: 'race@acme.test', mergedInto: null });
    expect(await eventsOf(only ?? '')).toBe(16);
  });

  it('stores and scores an event sent twice at once (a retry racing its original) exactly once', async () => {
    const events = [page('/pricing', { id: randomUUID() }), page('/demo', { id: randomUUID() })];
    const answers = await Promise.all([
      t.send({ anonymousId: 'twice-dev-0001', events }),
      t.send({ anonymousId: 'twice-dev-0001', events }),
    ]);
    const counts = answers.map((a) => [a.body.accepted, a.body.duplicates]);
    expect(counts.map(([accepted, duplicates]) => Number(accepted) + Number(duplicates))).toEqual([2, 2]);
    expect(counts.reduce((sum, [accepted]) => sum + Number(accepted), 0)).toBe(2);
    const leadId = (await leadOf('twice-dev-0001')) ?? '';
    expect(await eventsOf(leadId)).toBe(2);
    const [scored] = await queryRows<{ score: number; count: number }>(
      t.db,
      sql`select score, (score_state->'rules'->'pricing'->>'events')::int as count
          from leads where site_id = ${t.site.id} and id = ${leadId}`,
    );
    expect(scored?.count).toBe(1);
  });

  it('stores an event id sent by two devices at once once, on one of them', async () => {
    const id = randomUUID();
    const answers = await Promise.all(
      ['clash-dev-0001', 'clash-dev-0002', 'clash-dev-0003'].map((anonymousId) =>
        t.send({ anonymousId, events: [page('/clash', { id })] }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.reduce((sum, a) => sum + Number(a.body.accepted), 0)).toBe(1);
    expect(answers.reduce((sum, a) => sum + Number(a.body.duplicates), 0)).toBe(2);
    const [stored] = await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from events where site_id = ${t.site.id} and id = ${id}`,
    );
    expect(stored?.n).toBe(1);
  });
});
