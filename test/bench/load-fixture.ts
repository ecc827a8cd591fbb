/**
 * The read fixture, loaded COPY-fast in a few statements (`insert … select from generate_series`):
 * `leads` leads with a device and a session each and 10 events each. One lead in five is
 * identified and went through pricing, the whitepaper and the demo form (an MQL once scored);
 * the others browsed. Leads are stored unscored (rules version 0): `rescoreSite` scores them,
 * which is the re-score benchmark.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../collector/src/db/database.ts';

const CHUNK = 20_000;

/** The id the fixture gives lead `n` of a site (md5 as a uuid, as the SQL computes it). */
export function fixtureLeadId(siteId: string, n: number): string {
  const h = createHash('md5').update(`${siteId}lead${n}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function loadFixture(
  db: Db,
  siteId: string,
  leads: number,
  now: Date,
): Promise<{ events: number; seconds: number }> {
  const started = performance.now();
  const at = now.toISOString();
  for (let from = 1; from <= leads; from += CHUNK) {
    const to = Math.min(leads, from + CHUNK - 1);
    const lead = sql`md5(${siteId} || 'lead' || n)::uuid::text`;
    const seen = sql`(${at}::timestamptz - make_interval(days => n % 6))`;
    await db.execute(sql`
      insert into leads (site_id, id, email, traits, stage, score_state, rules_version, first_seen, last_seen,
                         score_at, stage_changed_at, updated_at)
      select ${siteId}, ${lead},
             case when n % 5 = 0 then 'person' || n || '@firm' || (n % 1000) || '.test' end,
             case when n % 5 = 0 then jsonb_build_object('company', 'Firm ' || (n % 1000)) else '{}'::jsonb end,
             case when n % 5 = 0 then 'lead' else 'visitor' end, '{}'::jsonb, 0,
             ${seen} - interval '10 minutes', ${seen}, ${seen}, ${seen}, ${seen}
      from generate_series(${from}::int, ${to}::int) n`);
    await db.execute(sql`
      insert into devices (site_id, anonymous_id, lead_id, first_seen, last_seen)
      select ${siteId}, 'fx-device-' || n, ${lead}, ${seen} - interval '10 minutes', ${seen}
      from generate_series(${from}::int, ${to}::int) n`);
    await db.execute(sql`
      insert into sessions (site_id, id, lead_id, anonymous_id, started_at, last_seen, event_count, landing_url,
                            browser, os, device_type)
      select ${siteId}, 'fx-session-' || n, ${lead}, 'fx-device-' || n, ${seen} - interval '10 minutes', ${seen}, 10,
             'https://acme.test/', 'Chrome', 'macOS', 'desktop'
      from generate_series(${from}::int, ${to}::int) n`);
    await db.execute(sql`
      insert into events (site_id, id, lead_id, anonymous_id, session_id, type, ts, received_at, url, path, data)
      select ${siteId}, md5(${siteId} || 'ev' || n || ':' || i)::uuid::text, ${lead}, 'fx-device-' || n,
             'fx-session-' || n, e.type, ${seen} - make_interval(mins => 10 - i), ${seen},
             'https://acme.test' || e.path, e.path, e.data
      from generate_series(${from}::int, ${to}::int) n
      cross join generate_series(0, 9) i
      cross join lateral (
        select
          case when n % 5 = 0
            then (array['page_view','page_view','page_view','download','form_step','form_step','form_step',
                        'form_submit','thank_you','action'])[i + 1]
            else 'page_view' end as type,
          case when n % 5 = 0
            then (array['/','/pricing','/product','/resources','/demo','/demo','/demo','/demo','/demo/thanks',
                        '/demo/thanks'])[i + 1]
            else (array['/','/pricing','/product','/blog/pipelines','/blog/etl','/pricing','/careers','/customers',
                        '/pricing','/about'])[i + 1] end as path,
          case when n % 5 = 0 then
            (array['{"title":"Home"}','{"title":"Pricing","tags":["pricing"]}','{"title":"Product"}',
                   '{"href":"https://acme.test/files/guide.pdf","tags":["whitepaper"]}',
                   '{"form":"demo-request","step":1,"steps":3}','{"form":"demo-request","step":2,"steps":3}',
                   '{"form":"demo-request","step":3,"steps":3}','{"form":"demo-request"}',
                   '{"conversion":"demo-request"}','{"name":"book-call"}'])[i + 1]::jsonb
          else jsonb_build_object('title', 'Page ' || i) end as data
      ) e`);
  }
  await db.execute(sql`analyze leads`);
  await db.execute(sql`analyze events`);
  await db.execute(sql`analyze devices`);
  await db.execute(sql`analyze sessions`);
  return { events: leads * 10, seconds: (performance.now() - started) / 1000 };
}
