/**
 * Two collectors (two apps, each with its own PostgreSQL pool) on one database, fed the same
 * leads' events interleaved and concurrently, then replayed: the outcome must equal one collector
 * fed serially — the same leads, merges, scores, MQL flags, stages and event → lead assignment.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { type AppDeps, createApp } from '../../collector/src/app.ts';
import { createFakeClock } from '../../collector/src/clock.ts';
import { type Database, queryRows } from '../../collector/src/db/database.ts';
import { openDatabase } from '../../collector/src/db/open-database.ts';
import { createSite } from '../../collector/src/sites/site-store.ts';
import { CHROME_UA, DEMO_RULES } from '../../collector/src/testing/test-collector.ts';
import {
  createTestDatabase,
  DATABASE_KINDS,
  type TestDatabase,
} from '../../collector/src/testing/test-databases.ts';

const NOW = '2026-11-23T10:00:00.000Z';
type Batch = { device: string; body: (publicKey: string) => string };

/** Four people on two or three devices each, plus anonymous visitors; identifies in the middle. */
function buildWorkload(): Batch[][] {
  const people = ['ada@northwind.test', 'bo@contoso.test', 'cy@fabrikam.test', 'di@initech.test'];
  const devices: Batch[][] = [];
  let n = 0;
  const uuid = () => {
    n++;
    return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
  };
  const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
  const batch = (device: string, events: Record<string, unknown>[]): Batch => {
    const withIds = events.map((event, i) => ({ id: uuid(), ts: minutesAgo(60 - i), ...event }));
    return {
      device,
      body: (site) =>
        JSON.stringify({
          site,
          anonymousId: device,
          sessionId: `${device}-s1`,
          sentAt: NOW,
          events: withIds,
        }),
    };
  };
  const url = (path: string) => `https://acme.test${path}`;
  people.forEach((email, p) => {
    for (let d = 0; d < 2 + (p % 2); d++) {
      const device = `dev-${p}-${d}-abcdef`;
      devices.push([
        batch(device, [
          { type: 'page_view', url: url('/pricing') },
          { type: 'page_view', url: url('/pricing') },
        ]),
        batch(device, [
          { type: 'download', url: url('/guides'), href: url('/guide.pdf'), tags: ['whitepaper'] },
        ]),
        batch(device, [
          { type: 'form_step', url: url('/demo'), form: 'demo-request', step: 1, steps: 3 },
          ...(d === 0 || p % 2 === 0 ? [{ type: 'identify', email, traits: { company: `C${p}` } }] : []),
        ]),
        batch(device, [
          { type: 'form_submit', url: url('/demo'), form: 'demo-request' },
          { type: 'thank_you', url: url('/thanks'), conversion: 'demo-request' },
          ...(d === 1 ? [{ type: 'identify', email }] : []),
        ]),
        batch(device, [{ type: 'action', url: url('/thanks'), name: 'book-call' }]),
      ]);
    }
  });
  for (let a = 0; a < 3; a++) {
    const device = `anon-${a}-abcdef`;
    devices.push([
      batch(device, [{ type: 'page_view', url: url('/') }]),
      batch(device, [{ type: 'page_view', url: url('/pricing') }]),
    ]);
  }
  return devices;
}

async function send(app: ReturnType<typeof createApp>, body: string): Promise<void> {
  const response = await app.request('/v1/collect', {
    method: 'POST',
    headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA },
    body,
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

/** The outcome, in terms that do not depend on generated lead ids. */
async function readOutcome(db: Database['db'], siteId: string) {
  const leads = await queryRows<{
    id: string;
    email: string | null;
    score: number;
    mql: boolean;
    stage: string;
    devices: string | null;
  }>(
    db,
    sql`select l.id, l.email, l.score, l.mql, l.stage,
          (select string_agg(anonymous_id, ',' order by anonymous_id) from devices d where d.site_id = l.site_id and d.lead_id = l.id) as devices
        from leads l where l.site_id = ${siteId} and l.merged_into is null`,
  );
  const name = new Map(leads.map((lead) => [lead.id, lead.email ?? `anonymous:${lead.devices}`]));
  const events = await queryRows<{ id: string; leadId: string }>(
    db,
    sql`select id, lead_id as "leadId" from events where site_id = ${siteId} order by id`,
  );
  const merges = await queryRows<{ kind: string; toLeadId: string; n: number }>(
    db,
    sql`select kind, to_lead_id as "toLeadId", count(*)::int as n from lead_merges where site_id = ${siteId} group by 1, 2`,
  );
  return {
    leads: leads
      .map((lead) => ({
        who: name.get(lead.id),
        score: Math.round(lead.score * 1e6) / 1e6,
        mql: lead.mql,
        stage: lead.stage,
        devices: lead.devices,
      }))
      .sort((a, b) => String(a.who).localeCompare(String(b.who))),
    events: Object.fromEntries(events.map((event) => [event.id, name.get(event.leadId) ?? 'merged-away'])),
    merges: merges.map((merge) => `${merge.kind}→${name.get(merge.toLeadId)}×${merge.n}`).sort(),
  };
}

describe.each(DATABASE_KINDS.filter((kind) => kind === 'postgres'))(
  'two collectors on one %s database',
  () => {
    const opened: (TestDatabase | Database)[] = [];
    afterAll(async () => {
      for (const database of opened.reverse())
        await ('drop' in database ? database.drop() : database.close());
    });
    const deps = (database: Database): AppDeps => ({ database, clock: createFakeClock(NOW), siteCacheMs: 0 });

    it('end with the leads, merges, scores and assignments of one collector fed serially', async () => {
      const workload = buildWorkload();

      const serial = await createTestDatabase('postgres');
      opened.push(serial);
      const serialSite = await createSite(serial.db, { name: 'Serial', rules: DEMO_RULES });
      const one = createApp(deps(serial));
      for (const device of workload)
        for (const batch of device) await send(one, batch.body(serialSite.publicKey));
      await one.ingest.drain();

      const shared = await createTestDatabase('postgres');
      opened.push(shared);
      const second = await openDatabase({ url: shared.url ?? '', poolSize: 4 });
      opened.push(second);
      const sharedSite = await createSite(shared.db, { name: 'Shared', rules: DEMO_RULES });
      const apps = [createApp(deps(shared)), createApp(deps(second))];
      // Every device sends its batches in order (as the SDK does), alternating collectors; all devices at once.
      const interleaved = () =>
        Promise.all(
          workload.map(async (device, d) => {
            for (const [b, batch] of device.entries())
              await send(apps[(d + b) % 2] as (typeof apps)[0], batch.body(sharedSite.publicKey));
          }),
        );
      await interleaved();
      const first = await readOutcome(shared.db, sharedSite.id);
      // The SDK retries: everything is replayed, across both collectors, and nothing changes.
      await interleaved();
      for (const app of apps) await app.ingest.drain();

      const expected = await readOutcome(serial.db, serialSite.id);
      const concurrent = await readOutcome(shared.db, sharedSite.id);
      console.log(
        `[two-collectors] leads: ${expected.leads.length}, events: ${Object.keys(expected.events).length}, merges: ${expected.merges.join(' ')}, MQLs: ${expected.leads.filter((l) => l.mql).length}`,
      );
      expect(concurrent).toEqual(expected);
      expect(first).toEqual(expected);
      expect(expected.leads.filter((lead) => lead.mql).length).toBeGreaterThan(0);
      expect(expected.merges.length).toBeGreaterThan(0);
    });
  },
);

describe('the workload of the two-collector test', () => {
  it('gives every person several devices and identifies on more than one of them', () => {
    const workload = buildWorkload();
    const bodies = workload.flat().map((batch) => batch.body('pk_x'));
    expect(workload.length).toBeGreaterThanOrEqual(10);
    expect(bodies.filter((body) => body.includes('"identify"')).length).toBeGreaterThan(4);
  });
});
