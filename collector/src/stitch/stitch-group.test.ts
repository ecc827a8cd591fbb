import { describe, expect, it } from 'vitest';
import { siteKey } from '../db/site-key.ts';
import type { PreparedBatch, PreparedEvent } from '../ingest/prepare-batch.ts';
import { type LeadView, stitchGroup } from './stitch-group.ts';

const SITE = 'site_1';
let seq = 0;
const event = (email?: string): PreparedEvent => ({
  id: `event-${++seq}`,
  type: email ? 'identify' : 'page_view',
  ts: new Date(Date.UTC(2026, 10, 23, 10, 0, seq)),
  url: null,
  path: null,
  data: {},
  ...(email ? { email, traits: { plan: 'pro' } } : {}),
});
const batch = (anonymousId: string, events: PreparedEvent[]) =>
  ({ siteId: SITE, anonymousId, sessionId: `s-${anonymousId}`, events }) as unknown as PreparedBatch;

function stitch(devices: Record<string, string>, leads: LeadView[], batches: PreparedBatch[]) {
  let next = 0;
  return stitchGroup({
    batches,
    fresh: batches.map((b) => b.events),
    deviceLead: new Map(Object.entries(devices).map(([device, lead]) => [siteKey(SITE, device), lead])),
    leads: new Map(leads.map((lead) => [siteKey(SITE, lead.id), lead])),
    newLeadId: () => `new-${++next}`,
  });
}

describe('stitchGroup', () => {
  it('lets an anonymous lead claim a new email, with its traits', () => {
    const identify = event('jane@acme.test');
    const outcome = stitch(
      { laptop: 'anon' },
      [{ id: 'anon', email: null }],
      [batch('laptop', [event(), identify])],
    );
    expect(outcome.identities.get(siteKey(SITE, 'anon'))).toEqual({
      email: 'jane@acme.test',
      traits: { plan: 'pro' },
    });
    expect(outcome.leadOfEvent.get(identify)).toBe('anon');
    expect(outcome.merges).toEqual([]);
  });

  it('merges an anonymous lead into the owner of the email and moves the device', () => {
    const outcome = stitch(
      { phone: 'anon' },
      [
        { id: 'anon', email: null },
        { id: 'jane', email: 'jane@acme.test' },
      ],
      [batch('phone', [event(), event('jane@acme.test'), event()])],
    );
    expect(outcome.merges).toMatchObject([{ from_id: 'anon', into_id: 'jane', anonymous_id: 'phone' }]);
    expect(outcome.mergedInto.get(siteKey(SITE, 'anon'))).toBe('jane');
    expect(outcome.deviceLead.get(siteKey(SITE, 'phone'))).toBe('jane');
  });

  it('merges a second device into a lead created earlier in the same group', () => {
    const outcome = stitch(
      { laptop: 'bob', phone: 'anon' },
      [
        { id: 'bob', email: 'bob@acme.test' },
        { id: 'anon', email: null },
      ],
      [batch('laptop', [event('jane@acme.test')]), batch('phone', [event('jane@acme.test')])],
    );
    expect(outcome.newLeads).toMatchObject([{ id: 'new-1', email: 'jane@acme.test' }]);
    expect(outcome.switches).toMatchObject([{ from_id: 'bob', into_id: 'new-1' }]);
    expect(outcome.merges).toMatchObject([{ from_id: 'anon', into_id: 'new-1' }]);
    expect(outcome.deviceLead.get(siteKey(SITE, 'phone'))).toBe('new-1');
  });

  it('resolves a chain of merges in one hop', () => {
    const outcome = stitch(
      { a: 'anon-a', b: 'anon-b' },
      [
        { id: 'anon-a', email: null },
        { id: 'anon-b', email: null },
      ],
      [batch('a', [event('x@acme.test')]), batch('b', [event('x@acme.test')])],
    );
    // a claims the email; b merges into a.
    expect(outcome.identities.get(siteKey(SITE, 'anon-a'))?.email).toBe('x@acme.test');
    expect(outcome.mergedInto.get(siteKey(SITE, 'anon-b'))).toBe('anon-a');
  });

  it('does not modify the maps it was given', () => {
    const devices = { phone: 'anon' };
    const leads = [{ id: 'anon', email: null }];
    stitch(devices, leads, [batch('phone', [event('new@acme.test')])]);
    expect(leads).toEqual([{ id: 'anon', email: null }]);
  });
});
