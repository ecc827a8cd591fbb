import { randomUUID } from 'node:crypto';
import type { Commit, Executor } from '../db/database.ts';
import { isGuardFailure } from '../db/db-errors.ts';
import { asOneStatement, type StatementPart } from '../db/one-statement.ts';
import { executePrepared, preparedRows } from '../db/prepared.ts';
import { siteKey, siteKeyParts } from '../db/site-key.ts';
import { loadEventHistories } from '../scoring/event-histories.ts';
import type { LeadEventRow, LeadWrite, LockedLead } from '../scoring/lead-sql.ts';
import { lockLeads } from '../scoring/lead-sql.ts';
import { loadRules, type VersionedRules } from '../scoring/rules-store.ts';
import { type LeadTouch, needsHistory, scoreTouches } from '../scoring/score-touched-leads.ts';
import { planSettlement, writeParts } from '../scoring/settle-leads.ts';
import { stitchGroup } from '../stitch/stitch-group.ts';
import type { WebhookEvent } from '../webhooks/enqueue.ts';
import type { PreparedBatch } from './prepare-batch.ts';
import * as q from './write-sql.ts';

export type BatchResult = { accepted: number; duplicates: number };

/** An event of the group that another writer stored after this group looked (the group is written again). */
export class ConcurrentEventError extends Error {
  readonly code = '40001';
  constructor() {
    super('an event of this group was stored meanwhile by another writer; the group is written again');
  }
}

/**
 * Stores a group of batches in the caller's transaction: devices and their leads (created when
 * new), identity stitching, events exactly once, sessions, then the scores, stages and webhooks
 * of every touched lead. Locks are taken in one order (devices, then leads, each sorted) so
 * concurrent writers — other requests or other collector processes — serialise per device and
 * per lead without deadlocks.
 *
 * Two round trips in the common case: the open (BEGIN travels with it), then one statement that
 * stores the events, sessions, devices and settlement, sent with COMMIT and guarded so that it
 * commits nothing unless every event was stored. Devices seen for the first time add a round
 * trip; a group with a merge or stale scores stores its events before reading histories.
 */
export async function writeBatches(
  tx: Executor,
  commit: Commit,
  batches: PreparedBatch[],
  now: Date,
): Promise<BatchResult[]> {
  // 1. One round trip: lock the known devices and their leads and the email owners, find
  // replayed events, read the rules versions.
  const firstSeen = new Map<string, { site_id: string; anonymous_id: string; ts: string }>();
  const emails = new Map<string, { site_id: string; email: string }>();
  for (const batch of batches) {
    const k = siteKey(batch.siteId, batch.anonymousId);
    const ts = (batch.events[0]?.ts ?? batch.receivedAt).toISOString();
    if (!firstSeen.has(k)) firstSeen.set(k, { site_id: batch.siteId, anonymous_id: batch.anonymousId, ts });
    for (const event of batch.events)
      if (event.email)
        emails.set(siteKey(batch.siteId, event.email), { site_id: batch.siteId, email: event.email });
  }
  const planned = executePrepared(tx, q.preferIndexLookups());
  planned.catch(() => {}); // its failure fails the group's first statement too, which throws
  const opened = await preparedRows<{
    kind: string;
    siteId: string;
    key: string;
    value: string | null;
    lead: LockedLead | null;
  }>(
    tx,
    q.openGroup(
      [...firstSeen.values()].map(({ site_id, anonymous_id }) => ({ site_id, anonymous_id })),
      [...emails.values()],
      batches.flatMap((b) => b.events.map((e) => ({ site_id: b.siteId, id: e.id }))),
      [...new Set(batches.map((b) => b.siteId))],
    ),
  );
  await planned;
  const deviceLead = new Map<string, string>();
  const leads = new Map<string, GroupLead>();
  const known = new Set<string>();
  const versions = new Map<string, number>();
  for (const row of opened) {
    if (row.kind === 'device') deviceLead.set(siteKey(row.siteId, row.key), row.value ?? '');
    else if (row.kind === 'lead' && row.lead)
      leads.set(siteKey(row.siteId, row.key), { ...row.lead, isNew: false });
    else if (row.kind === 'event') known.add(siteKey(row.siteId, row.key));
    else if (row.kind === 'site') versions.set(row.siteId, Number(row.value));
  }
  const rulesOf = new Map<string, VersionedRules>();
  for (const siteId of new Set(batches.map((b) => b.siteId)))
    rulesOf.set(siteId, await loadRules(tx, siteId, versions.get(siteId) ?? 1));
  const rulesFor = (siteId: string) => rulesOf.get(siteId) as VersionedRules;

  // 2. Devices seen for the first time, each with a new anonymous lead (written with its score).
  await createDevices(tx, [...firstSeen.values()], deviceLead, leads, rulesFor);

  // Events stored before (replays), or twice in this group, are acknowledged as duplicates and
  // do nothing else.
  const fresh = batches.map((b) =>
    b.events.filter((e) => {
      const k = siteKey(b.siteId, e.id);
      if (known.has(k)) return false;
      known.add(k);
      return true;
    }),
  );
  const freshEvents = new Set(fresh.flat());

  // 3. Stitching, decided in memory against the locked leads.
  const stitch = stitchGroup({ batches, fresh, deviceLead, leads, newLeadId: randomUUID });
  for (const lead of stitch.newLeads)
    leads.set(siteKey(lead.siteId, lead.id), newLead(lead.siteId, lead.id, rulesFor(lead.siteId), lead.at));
  const resolve = (siteId: string, leadId: string) =>
    stitch.mergedInto.get(siteKey(siteId, leadId)) ?? leadId;

  // 4. Events, each on the lead its device belonged to when it happened (merged leads resolved).
  const eventRows: q.EventRow[] = [];
  batches.forEach((batch, index) => {
    for (const event of fresh[index] ?? []) {
      eventRows.push({
        site_id: batch.siteId,
        id: event.id,
        lead_id: resolve(batch.siteId, stitch.leadOfEvent.get(event) ?? ''),
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

  // 5. What scoring touches: leads with new events, merge survivors, leads given traits.
  const touches = new Map<string, LeadTouch>();
  const touch = (siteId: string, leadId: string): LeadTouch | null => {
    const k = siteKey(siteId, leadId);
    const lead = leads.get(k);
    if (!lead) return null; // merged or erased meanwhile: its events are kept, nothing is scored
    let entry = touches.get(k);
    if (!entry) {
      entry = { lead, events: [], recompute: false, isNew: lead.isNew };
      touches.set(k, entry);
    }
    return entry;
  };
  for (const row of eventRows)
    touch(row.site_id, row.lead_id)?.events.push({ ...row, tsMs: Date.parse(row.ts) });
  for (const merge of stitch.merges) {
    const survivor = touch(merge.site_id, resolve(merge.site_id, merge.into_id));
    if (survivor) survivor.recompute = true;
  }
  // Claimed emails go on the leads that claimed them; traits on the leads they resolve to.
  for (const [k, identity] of stitch.identities) {
    const claimer = leads.get(k);
    if (claimer && identity.email && claimer.email === null) claimer.email = identity.email;
    const [siteId, id] = siteKeyParts(k);
    const entry = touch(siteId, resolve(siteId, id));
    if (entry) entry.traits = { ...entry.traits, ...identity.traits };
  }
  const mergeHooks: WebhookEvent[] = stitch.merges.map((m) => ({
    siteId: m.site_id,
    leadId: m.into_id,
    type: 'lead.merged',
    at: new Date(m.at),
    data: { lead: { id: m.into_id }, mergedLeadId: m.from_id, anonymousId: m.anonymous_id },
  }));
  // New leads that got no events of their own (merged at once, or only replays) are still written.
  const untouched: LeadWrite[] = [];
  for (const [k, lead] of leads) {
    if (!lead.isNew || touches.has(k)) continue;
    const mergedInto = stitch.mergedInto.get(k) ?? null;
    untouched.push(unscoredLead(lead, stitch.identities.get(k)?.traits ?? {}, mergedInto, now));
  }

  // 6. Write. The common case is one statement sent with COMMIT; merges (which move stored events)
  // and stale scores (recomputed from the events table) first store the group's events.
  const touched = [...touches.values()];
  const historyNeeded = touched.filter((t) => needsHistory(t, rulesFor(t.lead.siteId)));
  const settlement = (histories: ReadonlyMap<string, LeadEventRow[]>) => {
    const planned = planSettlement(scoreTouches(touched, rulesFor, histories), now);
    planned.leads.push(...untouched);
    planned.hooks.push(...mergeHooks);
    return writeParts(planned);
  };
  const stored: StatementPart[] = sessionsAndDevices(batches, eventRows, stitch.deviceLead, resolve);
  if (stitch.switches.length > 0) stored.push(['switches_logged', q.logSwitches(stitch.switches)]);

  if (stitch.merges.length === 0 && historyNeeded.length === 0) {
    const events: StatementPart[] =
      eventRows.length > 0 ? [['events_stored', q.insertEvents(eventRows)]] : [];
    const guard = eventRows.length > 0 ? q.failUnlessAllStored('events_stored', eventRows.length) : undefined;
    try {
      await commit(asOneStatement([...events, ...stored, ...settlement(new Map())], guard));
    } catch (error) {
      throw isGuardFailure(error) ? new ConcurrentEventError() : error;
    }
  } else {
    const flight: Promise<unknown>[] = [];
    // drizzle's query promises run their statement on every `then`: each is made a Promise once.
    const send = <T>(query: PromiseLike<T>): Promise<T> => {
      const statement = Promise.resolve(query);
      statement.catch(() => {}); // a failure is thrown once, by allSettled below
      flight.push(statement);
      return statement;
    };
    for (const statement of q.mergeLeads(stitch.merges)) send(executePrepared(tx, statement));
    const inserted = send(
      eventRows.length === 0 ? Promise.resolve([]) : preparedRows(tx, q.insertEvents(eventRows)),
    );
    const rest = asOneStatement(stored);
    if (rest) send(executePrepared(tx, rest));
    await allSettled(flight);
    if ((await inserted).length !== eventRows.length) throw new ConcurrentEventError();
    const histories = await loadEventHistories(
      tx,
      historyNeeded.map((t) => t.lead),
    );
    await commit(asOneStatement(settlement(histories)));
  }

  return batches.map((batch) => {
    let accepted = 0;
    let duplicates = 0;
    const own = batch.events.filter((e) => e.data.rule !== 'url');
    for (const event of own) {
      if (freshEvents.has(event)) accepted++;
      else duplicates++;
    }
    return { accepted, duplicates };
  });
}

/** A lead of the group: locked (read by `openGroup`) or created in this transaction. */
type GroupLead = LockedLead & { isNew: boolean; firstSeen?: string };

function newLead(siteId: string, id: string, rules: VersionedRules, firstSeen: string): GroupLead {
  return {
    siteId,
    id,
    email: null,
    stage: 'visitor',
    mql: false,
    mqlAtMs: null,
    scoreState: null,
    rulesVersion: rules.version,
    isNew: true,
    firstSeen,
  };
}

function unscoredLead(
  lead: GroupLead,
  traits: Record<string, unknown>,
  mergedInto: string | null,
  now: Date,
): LeadWrite {
  const at = lead.firstSeen ?? now.toISOString();
  return {
    site_id: lead.siteId,
    id: lead.id,
    is_new: true,
    email: mergedInto ? null : lead.email,
    traits,
    score: 0,
    score_at: at,
    score_state: {},
    rules_version: lead.rulesVersion,
    mql: false,
    mql_at: null,
    stage: lead.stage,
    stage_changed: false,
    first_seen: at,
    last_seen: at,
    merged_into: mergedInto,
    updated_at: now.toISOString(),
  };
}

/**
 * Creates the devices not found, each pointing to a new lead (kept in `leads`, inserted with its
 * score). A device another writer created meanwhile is locked with its lead instead.
 */
async function createDevices(
  tx: Executor,
  devices: { site_id: string; anonymous_id: string; ts: string }[],
  deviceLead: Map<string, string>,
  leads: Map<string, GroupLead>,
  rulesFor: (siteId: string) => VersionedRules,
): Promise<void> {
  const missing = devices.filter((d) => !deviceLead.has(siteKey(d.site_id, d.anonymous_id)));
  if (missing.length === 0) return;
  const proposed = missing.map((d) => ({ ...d, lead_id: randomUUID() }));
  const created = await preparedRows<{ siteId: string; anonymousId: string; leadId: string }>(
    tx,
    q.insertDevices(proposed),
  );
  const byKey = new Map(proposed.map((d) => [siteKey(d.site_id, d.anonymous_id), d]));
  for (const row of created) {
    deviceLead.set(siteKey(row.siteId, row.anonymousId), row.leadId);
    const ts = byKey.get(siteKey(row.siteId, row.anonymousId))?.ts ?? new Date().toISOString();
    leads.set(siteKey(row.siteId, row.leadId), newLead(row.siteId, row.leadId, rulesFor(row.siteId), ts));
  }
  // Another writer created these devices meanwhile: wait for its commit and take its leads.
  const raced = missing.filter((d) => !deviceLead.has(siteKey(d.site_id, d.anonymous_id)));
  if (raced.length === 0) return;
  const found = await preparedRows<{ siteId: string; anonymousId: string; leadId: string }>(
    tx,
    q.lockDevices(raced),
  );
  for (const row of found) deviceLead.set(siteKey(row.siteId, row.anonymousId), row.leadId);
  const unlocked = found.filter((row) => !leads.has(siteKey(row.siteId, row.leadId)));
  if (unlocked.length === 0) return;
  const locked = await preparedRows<LockedLead>(
    tx,
    lockLeads(unlocked.map((r) => ({ site_id: r.siteId, id: r.leadId }))),
  );
  for (const lead of locked) leads.set(siteKey(lead.siteId, lead.id), { ...lead, isNew: false });
}

/** Sessions upserted with their event counts and times, and devices moved to their leads and seen now. */
function sessionsAndDevices(
  batches: PreparedBatch[],
  stored: q.EventRow[],
  deviceLead: Map<string, string>,
  resolve: (siteId: string, leadId: string) => string,
): StatementPart[] {
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
  const devices = new Map<string, q.DeviceSeen>();
  for (const batch of batches) {
    const leadId = resolve(batch.siteId, deviceLead.get(siteKey(batch.siteId, batch.anonymousId)) ?? '');
    const k = siteKey(batch.siteId, batch.sessionId);
    const count = counts.get(k);
    devices.set(siteKey(batch.siteId, batch.anonymousId), {
      site_id: batch.siteId,
      anonymous_id: batch.anonymousId,
      lead_id: leadId,
      ts: count?.last ?? batch.receivedAt.toISOString(),
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
  const parts: StatementPart[] = [];
  if (sessions.size > 0) parts.push(['sessions_upserted', q.upsertSessions([...sessions.values()])]);
  if (devices.size > 0) parts.push(['devices_seen', q.updateDevices([...devices.values()])]);
  return parts;
}

/**
 * Waits for every statement of a pipelined flight and throws the first failure. Statements after
 * a failed one fail too (the transaction is aborted); the first is the cause.
 */
async function allSettled(flight: Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(flight);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}
