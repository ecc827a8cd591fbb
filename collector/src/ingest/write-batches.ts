import { randomUUID } from 'node:crypto';
import type { Executor } from '../db/database.ts';
import { queryRows } from '../db/database.ts';
import { siteKey } from '../db/site-key.ts';
import { type LeadTouch, scoreTouchedLeads } from '../scoring/score-touched-leads.ts';
import { decideIdentity } from '../stitch/decide-identity.ts';
import { enqueueWebhookEvents } from '../webhooks/enqueue.ts';
import type { PreparedBatch, PreparedEvent } from './prepare-batch.ts';
import * as q from './write-sql.ts';

export type BatchResult = { accepted: number; duplicates: number };

type LeadView = { id: string; email: string | null };

/**
 * Stores a group of batches in the caller's transaction: devices and their leads (created when
 * new), identity stitching, events exactly once, sessions, then scores of every touched lead.
 * Locks are taken in one order (devices, then leads, each sorted) so concurrent writers — other
 * requests or other collector processes — serialise per device and per lead without deadlocks.
 */
export async function writeBatches(
  tx: Executor,
  batches: PreparedBatch[],
  now: Date,
): Promise<BatchResult[]> {
  // 1. One round trip: lock the known devices, find replayed events, read the rules versions.
  const deviceLead = new Map<string, string>();
  const firstSeen = new Map<string, { site_id: string; anonymous_id: string; ts: string }>();
  for (const batch of batches) {
    const k = siteKey(batch.siteId, batch.anonymousId);
    const ts = (batch.events[0]?.ts ?? batch.receivedAt).toISOString();
    if (!firstSeen.has(k)) firstSeen.set(k, { site_id: batch.siteId, anonymous_id: batch.anonymousId, ts });
  }
  const opened = await queryRows<{ kind: string; siteId: string; key: string; value: string | null }>(
    tx,
    q.openGroup(
      [...firstSeen.values()].map(({ site_id, anonymous_id }) => ({ site_id, anonymous_id })),
      batches.flatMap((b) => b.events.map((e) => ({ site_id: b.siteId, id: e.id }))),
      [...new Set(batches.map((b) => b.siteId))],
    ),
  );
  const known = new Set<string>();
  const versions = new Map<string, number>();
  for (const row of opened) {
    if (row.kind === 'device') deviceLead.set(siteKey(row.siteId, row.key), row.value ?? '');
    else if (row.kind === 'event') known.add(siteKey(row.siteId, row.key));
    else versions.set(row.siteId, Number(row.value));
  }
  const rulesVersionOf = (siteId: string) => versions.get(siteId) ?? 1;

  // 2. New devices get an anonymous lead each; events stored before (replays) are acknowledged
  // as duplicates and do nothing else.
  const created = await createDevices(tx, [...firstSeen.values()], deviceLead, rulesVersionOf);
  const fresh = batches.map((b) => b.events.filter((e) => !known.has(siteKey(b.siteId, e.id))));

  // 3. Stitching: decide every identify in event order, against locked leads.
  const stitch = await stitchIdentities(tx, batches, fresh, deviceLead, rulesVersionOf);
  for (const lead of stitch.newLeads) created.add(siteKey(lead.site_id, lead.id));

  // 4. Events, each on the lead its device belonged to when it happened (merged leads resolved).
  const resolve = (siteId: string, leadId: string) =>
    stitch.mergedInto.get(siteKey(siteId, leadId)) ?? leadId;
  const eventRows: q.EventRow[] = [];
  batches.forEach((batch, index) => {
    for (const [event, leadId] of fresh[index]?.map((e) => [e, stitch.leadOfEvent.get(e)] as const) ?? []) {
      eventRows.push({
        site_id: batch.siteId,
        id: event.id,
        lead_id: resolve(batch.siteId, leadId ?? ''),
        anonymous_id: batch.anonymousId,
        session_id: batch.sessionId,
        type: event.type,
        ts: event.ts.toISOString(),
        received_at: batch.receivedAt.toISOString(),
        url: event.url,
        path: event.path,
        data: event.data,
      });
    }
  });
  const inserted = new Set(
    eventRows.length === 0
      ? []
      : (await queryRows<{ siteId: string; id: string }>(tx, q.insertEvents(eventRows))).map((r) =>
          siteKey(r.siteId, r.id),
        ),
  );
  const stored = eventRows.filter((row) => inserted.has(siteKey(row.site_id, row.id)));

  // 5. Sessions and devices.
  await writeSessionsAndDevices(tx, batches, stored, deviceLead, resolve);

  // 6. Scores, MQL flags and stages of every lead that got events or a merge.
  const touches = new Map<string, LeadTouch>();
  const touch = (siteId: string, leadId: string) => {
    const k = siteKey(siteId, leadId);
    let entry = touches.get(k);
    if (!entry) {
      entry = { siteId, leadId, events: [], recompute: false, isNew: created.has(k) };
      touches.set(k, entry);
    }
    return entry;
  };
  for (const row of stored) {
    touch(row.site_id, row.lead_id).events.push({ ...row, tsMs: Date.parse(row.ts) });
  }
  for (const merge of stitch.merges)
    touch(merge.site_id, resolve(merge.site_id, merge.into_id)).recompute = true;
  if (touches.size > 0) await scoreTouchedLeads(tx, [...touches.values()], rulesVersionOf, now);

  return batches.map((batch) => {
    let accepted = 0;
    let duplicates = 0;
    const own = batch.events.filter((e) => e.data.rule !== 'url');
    for (const event of own) {
      if (inserted.has(siteKey(batch.siteId, event.id))) accepted++;
      else duplicates++;
    }
    return { accepted, duplicates };
  });
}

/** Creates the devices not found (each with an anonymous lead); `deviceLead` holds the locked ones. */
async function createDevices(
  tx: Executor,
  devices: { site_id: string; anonymous_id: string; ts: string }[],
  deviceLead: Map<string, string>,
  rulesVersionOf: (siteId: string) => number,
): Promise<Set<string>> {
  const lock = async (keys: typeof devices) => {
    const found = await queryRows<{ siteId: string; anonymousId: string; leadId: string }>(
      tx,
      q.lockDevices(keys),
    );
    for (const row of found) deviceLead.set(siteKey(row.siteId, row.anonymousId), row.leadId);
  };
  const createdLeads = new Set<string>();
  const missing = devices.filter((d) => !deviceLead.has(siteKey(d.site_id, d.anonymous_id)));
  if (missing.length === 0) return createdLeads;
  const proposed = missing.map((d) => ({ ...d, lead_id: randomUUID() }));
  const created = await queryRows<{ siteId: string; anonymousId: string; leadId: string }>(
    tx,
    q.insertDevices(proposed),
  );
  if (created.length > 0) {
    const byKey = new Map(proposed.map((d) => [siteKey(d.site_id, d.anonymous_id), d]));
    await tx.execute(
      q.insertLeads(
        created.map((row) => ({
          site_id: row.siteId,
          id: row.leadId,
          email: null,
          traits: {},
          stage: 'visitor',
          ts: byKey.get(siteKey(row.siteId, row.anonymousId))?.ts ?? new Date().toISOString(),
          rules_version: rulesVersionOf(row.siteId),
        })),
      ),
    );
    for (const row of created) {
      deviceLead.set(siteKey(row.siteId, row.anonymousId), row.leadId);
      createdLeads.add(siteKey(row.siteId, row.leadId));
    }
  }
  // Another writer created these devices meanwhile: wait for its commit and take its leads.
  const raced = missing.filter((d) => !deviceLead.has(siteKey(d.site_id, d.anonymous_id)));
  if (raced.length > 0) await lock(raced);
  return createdLeads;
}

type StitchOutcome = {
  leadOfEvent: Map<PreparedEvent, string>;
  mergedInto: Map<string, string>;
  merges: q.MergeRow[];
  /** Leads created for emails seen for the first time. */
  newLeads: q.NewLeadRow[];
};

async function stitchIdentities(
  tx: Executor,
  batches: PreparedBatch[],
  fresh: PreparedEvent[][],
  deviceLead: Map<string, string>,
  rulesVersionOf: (siteId: string) => number,
): Promise<StitchOutcome> {
  const leadOfEvent = new Map<PreparedEvent, string>();
  const mergedInto = new Map<string, string>();
  const merges: q.MergeRow[] = [];
  const identifies = batches.flatMap((b, i) =>
    (fresh[i] ?? []).filter((e) => e.email).map((e) => ({ b, e })),
  );
  if (identifies.length === 0) {
    batches.forEach((b, i) => {
      const leadId = deviceLead.get(siteKey(b.siteId, b.anonymousId)) ?? '';
      for (const event of fresh[i] ?? []) leadOfEvent.set(event, leadId);
    });
    return { leadOfEvent, mergedInto, merges, newLeads: [] };
  }

  const leadIds = [
    ...new Set(batches.map((b) => siteKey(b.siteId, deviceLead.get(siteKey(b.siteId, b.anonymousId)) ?? ''))),
  ];
  const locked = await queryRows<{ siteId: string; id: string; email: string | null }>(
    tx,
    q.lockStitchLeads(
      leadIds.map((k) => {
        const [site_id = '', id = ''] = k.split('\u0001');
        return { site_id, id };
      }),
      identifies.map(({ b, e }) => ({ site_id: b.siteId, email: e.email ?? '' })),
    ),
  );
  const leads = new Map<string, LeadView>();
  const owners = new Map<string, string>();
  for (const row of locked) {
    leads.set(siteKey(row.siteId, row.id), { id: row.id, email: row.email });
    if (row.email) owners.set(siteKey(row.siteId, row.email), row.id);
  }

  const identityUpdates = new Map<
    string,
    { site_id: string; id: string; email: string | null; traits: Record<string, unknown> }
  >();
  const addTraits = (
    siteId: string,
    id: string,
    email: string | null,
    traits: Record<string, unknown> = {},
  ) => {
    const k = siteKey(siteId, id);
    const entry = identityUpdates.get(k) ?? { site_id: siteId, id, email: null, traits: {} };
    if (email) entry.email = email;
    Object.assign(entry.traits, traits);
    identityUpdates.set(k, entry);
  };
  const newLeads: q.NewLeadRow[] = [];
  const switches: q.MergeRow[] = [];

  batches.forEach((batch, index) => {
    const deviceKey = siteKey(batch.siteId, batch.anonymousId);
    for (const event of fresh[index] ?? []) {
      const email = event.email;
      if (email) {
        const current = deviceLead.get(deviceKey) ?? '';
        const lead = leads.get(siteKey(batch.siteId, current)) ?? { id: current, email: null };
        const ownerId = owners.get(siteKey(batch.siteId, email));
        const decision = decideIdentity(lead, ownerId ? { id: ownerId } : null, email);
        const at = event.ts.toISOString();
        const log = (to: string) => ({
          site_id: batch.siteId,
          from_id: current,
          into_id: to,
          anonymous_id: batch.anonymousId,
          event_id: event.id,
          at,
        });
        if (decision.kind === 'same') {
          addTraits(batch.siteId, current, null, event.traits);
        } else if (decision.kind === 'claim') {
          lead.email = email;
          leads.set(siteKey(batch.siteId, current), lead);
          owners.set(siteKey(batch.siteId, email), current);
          addTraits(batch.siteId, current, email, event.traits);
        } else if (decision.kind === 'merge') {
          merges.push(log(decision.into));
          mergedInto.set(siteKey(batch.siteId, current), decision.into);
          for (const [k, v] of mergedInto) if (v === current) mergedInto.set(k, decision.into);
          for (const [k, v] of deviceLead)
            if (v === current && k.startsWith(`${batch.siteId}\u0001`)) deviceLead.set(k, decision.into);
          addTraits(batch.siteId, decision.into, null, event.traits);
        } else if (decision.kind === 'switch') {
          switches.push(log(decision.to));
          deviceLead.set(deviceKey, decision.to);
          addTraits(batch.siteId, decision.to, null, event.traits);
        } else {
          const id = randomUUID();
          newLeads.push({
            site_id: batch.siteId,
            id,
            email,
            traits: event.traits ?? {},
            // Settled right after: visitor → lead is then recorded like any identification.
            stage: 'visitor',
            ts: at,
            rules_version: rulesVersionOf(batch.siteId),
          });
          leads.set(siteKey(batch.siteId, id), { id, email });
          owners.set(siteKey(batch.siteId, email), id);
          switches.push(log(id));
          deviceLead.set(deviceKey, id);
        }
      }
      leadOfEvent.set(event, deviceLead.get(deviceKey) ?? '');
    }
  });

  if (newLeads.length > 0) await tx.execute(q.insertLeads(newLeads));
  if (identityUpdates.size > 0) await tx.execute(q.updateLeadIdentity([...identityUpdates.values()]));
  if (merges.length > 0) {
    for (const statement of q.mergeLeads(merges)) await tx.execute(statement);
    await enqueueWebhookEvents(
      tx,
      merges.map((m) => ({
        siteId: m.site_id,
        leadId: m.into_id,
        type: 'lead.merged' as const,
        at: new Date(m.at),
        data: { lead: { id: m.into_id }, mergedLeadId: m.from_id, anonymousId: m.anonymous_id },
      })),
    );
  }
  if (switches.length > 0) await tx.execute(q.logSwitches(switches));
  return { leadOfEvent, mergedInto, merges, newLeads };
}

async function writeSessionsAndDevices(
  tx: Executor,
  batches: PreparedBatch[],
  stored: q.EventRow[],
  deviceLead: Map<string, string>,
  resolve: (siteId: string, leadId: string) => string,
): Promise<void> {
  const sessions = new Map<string, q.SessionRow>();
  const counts = new Map<string, { count: number; first: string; last: string }>();
  for (const row of stored) {
    const k = siteKey(row.site_id, row.session_id);
    const entry = counts.get(k) ?? { count: 0, first: row.ts, last: row.ts };
    entry.count++;
    if (row.ts < entry.first) entry.first = row.ts;
    if (row.ts > entry.last) entry.last = row.ts;
    counts.set(k, entry);
  }
  const devices = new Map<string, { site_id: string; anonymous_id: string; lead_id: string; ts: string }>();
  for (const batch of batches) {
    const leadId = resolve(batch.siteId, deviceLead.get(siteKey(batch.siteId, batch.anonymousId)) ?? '');
    const k = siteKey(batch.siteId, batch.sessionId);
    const count = counts.get(k);
    const ts = batch.receivedAt.toISOString();
    devices.set(siteKey(batch.siteId, batch.anonymousId), {
      site_id: batch.siteId,
      anonymous_id: batch.anonymousId,
      lead_id: leadId,
      ts: count?.last ?? ts,
    });
    if (!count || sessions.has(k)) continue;
    const s = batch.session;
    sessions.set(k, {
      site_id: batch.siteId,
      id: batch.sessionId,
      lead_id: leadId,
      anonymous_id: batch.anonymousId,
      started_at: count.first,
      last_seen: count.last,
      event_count: count.count,
      landing_url: s.landingUrl,
      referrer: s.referrer,
      referrer_host: s.referrerHost,
      utm_source: s.utmSource,
      utm_medium: s.utmMedium,
      utm_campaign: s.utmCampaign,
      utm_term: s.utmTerm,
      utm_content: s.utmContent,
      browser: s.browser,
      browser_version: s.browserVersion,
      os: s.os,
      os_version: s.osVersion,
      device_type: s.deviceType,
      locale: s.locale,
      screen: s.screen,
      timezone: s.timezone,
      ip_prefix: s.ipPrefix,
    });
  }
  if (devices.size > 0)
    await tx.execute(q.writeSessionsAndDevices([...sessions.values()], [...devices.values()]));
}
