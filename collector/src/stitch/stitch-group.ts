import { siteKey, siteKeyParts } from '../db/site-key.ts';
import type { PreparedBatch, PreparedEvent } from '../ingest/prepare-batch.ts';
import { decideIdentity } from './decide-identity.ts';

/** A lead as stitching sees it: its id and email (null while anonymous). */
export type LeadView = { id: string; email: string | null };

/** A merge or a switch, as `lead_merges` logs it. */
export type IdentityMove = {
  site_id: string;
  from_id: string;
  into_id: string;
  anonymous_id: string;
  event_id: string;
  at: string;
};

export type StitchInput = {
  batches: PreparedBatch[];
  /** Each batch's events that are new (not replays), in order. */
  fresh: PreparedEvent[][];
  /** siteKey(site, anonymousId) → the device's lead when the group starts. Not modified. */
  deviceLead: ReadonlyMap<string, string>;
  /** siteKey(site, leadId) → the locked or newly created leads the devices point to, and the email owners. */
  leads: ReadonlyMap<string, LeadView>;
  newLeadId: () => string;
};

export type StitchOutcome = {
  /** The lead each fresh event belongs to when it happened (before merges are resolved). */
  leadOfEvent: Map<PreparedEvent, string>;
  /** siteKey(site, mergedLeadId) → the lead it now resolves to (in one hop). */
  mergedInto: Map<string, string>;
  merges: IdentityMove[];
  switches: IdentityMove[];
  /** Leads created for emails seen for the first time. */
  newLeads: { siteId: string; id: string; email: string; at: string }[];
  /** siteKey(site, leadId) → the email each lead claimed and the traits to merge into it. */
  identities: Map<string, { email: string | null; traits: Record<string, unknown> }>;
  /** siteKey(site, anonymousId) → the device's lead at the end of the group. */
  deviceLead: Map<string, string>;
};

/**
 * Decides every identify of a group in event order, against the leads locked for it: DESIGN.md's
 * stitching rules (see `decideIdentity`) applied in memory. Pure; the write path applies the outcome.
 */
export function stitchGroup({
  batches,
  fresh,
  deviceLead: initial,
  leads: known,
  newLeadId,
}: StitchInput): StitchOutcome {
  const deviceLead = new Map(initial);
  const leads = new Map<string, LeadView>();
  const owners = new Map<string, string>();
  for (const [k, lead] of known) {
    leads.set(k, { ...lead });
    const [siteId] = siteKeyParts(k);
    if (lead.email) owners.set(siteKey(siteId, lead.email), lead.id);
  }
  const outcome: StitchOutcome = {
    leadOfEvent: new Map(),
    mergedInto: new Map(),
    merges: [],
    switches: [],
    newLeads: [],
    identities: new Map(),
    deviceLead,
  };
  const { mergedInto, identities } = outcome;
  const addIdentity = (
    siteId: string,
    id: string,
    email: string | null,
    traits: Record<string, unknown> = {},
  ) => {
    const k = siteKey(siteId, id);
    const entry = identities.get(k) ?? { email: null, traits: {} };
    if (email) entry.email = email;
    Object.assign(entry.traits, traits);
    identities.set(k, entry);
  };

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
        const move = (to: string): IdentityMove => ({
          site_id: batch.siteId,
          from_id: current,
          into_id: to,
          anonymous_id: batch.anonymousId,
          event_id: event.id,
          at,
        });
        if (decision.kind === 'same') {
          addIdentity(batch.siteId, current, null, event.traits);
        } else if (decision.kind === 'claim') {
          lead.email = email;
          leads.set(siteKey(batch.siteId, current), lead);
          owners.set(siteKey(batch.siteId, email), current);
          addIdentity(batch.siteId, current, email, event.traits);
        } else if (decision.kind === 'merge') {
          outcome.merges.push(move(decision.into));
          mergedInto.set(siteKey(batch.siteId, current), decision.into);
          for (const [k, v] of mergedInto) if (v === current) mergedInto.set(k, decision.into);
          for (const [k, v] of deviceLead)
            if (v === current && k.startsWith(siteKey(batch.siteId, ''))) deviceLead.set(k, decision.into);
          addIdentity(batch.siteId, decision.into, null, event.traits);
        } else if (decision.kind === 'switch') {
          outcome.switches.push(move(decision.to));
          deviceLead.set(deviceKey, decision.to);
          addIdentity(batch.siteId, decision.to, null, event.traits);
        } else {
          const id = newLeadId();
          outcome.newLeads.push({ siteId: batch.siteId, id, email, at });
          leads.set(siteKey(batch.siteId, id), { id, email });
          owners.set(siteKey(batch.siteId, email), id);
          outcome.switches.push(move(id));
          deviceLead.set(deviceKey, id);
          addIdentity(batch.siteId, id, email, event.traits);
        }
      }
      outcome.leadOfEvent.set(event, deviceLead.get(deviceKey) ?? '');
    }
  });
  return outcome;
}
