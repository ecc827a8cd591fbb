import { createHash } from 'node:crypto';
import type { Envelope, EventType, ValidEvent, WireEvent } from '@leadbeam/protocol';
import type { Site } from '../sites/site-store.ts';
import { type DeviceFacts, referrerHost } from './client-facts.ts';
import { correctEventTime } from './event-time.ts';
import { applyUrlRules, type CompiledUrlRule } from './url-rules.ts';

/** An event as it is stored: its true time, its page split out, its own fields in `data`. */
export type PreparedEvent = {
  id: string;
  type: EventType;
  ts: Date;
  url: string | null;
  path: string | null;
  data: Record<string, unknown>;
  /** identify only: the normalised email and the kept traits. */
  email?: string;
  traits?: Record<string, string | number | boolean | null>;
};

export type SessionFacts = DeviceFacts & {
  landingUrl: string | null;
  referrer: string | null;
  referrerHost: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  utmTerm: string | null;
  utmContent: string | null;
  locale: string | null;
  screen: string | null;
  timezone: string | null;
  ipPrefix: string | null;
};

/** One request's worth of events, ready for the write path. */
export type PreparedBatch = {
  siteId: string;
  anonymousId: string;
  sessionId: string;
  receivedAt: Date;
  session: SessionFacts;
  events: PreparedEvent[];
};

export type RequestFacts = { receivedAt: Date; device: DeviceFacts; ipPrefix: string | null };

/** A stable uuid derived from another id, so a derived event deduplicates like its source. */
export function deriveEventId(sourceId: string, purpose: string): string {
  const hex = createHash('sha256').update(`${sourceId}:${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((Number.parseInt(hex[16] ?? '0', 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function pathOf(url: string | undefined): string | null {
  return url ? new URL(url).pathname : null;
}

function ownFields(event: WireEvent): Record<string, unknown> {
  const { id: _id, type: _type, ts: _ts, url: _url, ...rest } = event;
  if (event.type === 'identify') {
    const { email: _email, traits: _traits, ...others } = rest as Record<string, unknown>;
    return others;
  }
  return rest;
}

function keepTraits(
  traits: Record<string, string | number | boolean | null> | undefined,
  allowed: string[] | undefined,
): Record<string, string | number | boolean | null> {
  const kept: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(traits ?? {})) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (!allowed || allowed.includes(key)) kept[key] = value;
  }
  return kept;
}

/**
 * Turns validated wire events into stored events: true event time, URL rules (tags, thank-you
 * pages) applied, session facts (landing page, referrer, UTM, device) gathered.
 */
export function prepareBatch(
  site: Pick<Site, 'id' | 'settings'>,
  urlRules: CompiledUrlRule[],
  envelope: Omit<Envelope, 'events'>,
  validEvents: ValidEvent[],
  request: RequestFacts,
): PreparedBatch {
  const utm = envelope.context?.utm;
  const events: PreparedEvent[] = [];
  for (const { event } of validEvents) {
    const ts = correctEventTime(event.ts, envelope.sentAt, request.receivedAt);
    const data = ownFields(event);
    if (utm && Object.keys(utm).length > 0) data.utm = utm;
    const prepared: PreparedEvent = {
      id: event.id,
      type: event.type,
      ts,
      url: event.url ?? null,
      path: pathOf(event.url),
      data,
    };
    if (event.type === 'identify') {
      prepared.email = event.email;
      prepared.traits = keepTraits(event.traits, site.settings.traits);
    }
    events.push(prepared);
    if (event.type === 'page_view' && urlRules.length > 0) {
      const ruled = applyUrlRules(urlRules, new URL(event.url));
      if (ruled.tags.length > 0)
        data.tags = [...new Set([...(event.tags ?? []), ...ruled.tags])].slice(0, 20);
      if (ruled.thankYou) {
        events.push({
          id: deriveEventId(event.id, 'thank_you'),
          type: 'thank_you',
          ts,
          url: event.url,
          path: prepared.path,
          data: { conversion: ruled.thankYou, rule: 'url', ...(data.utm ? { utm: data.utm } : {}) },
        });
      }
    }
  }
  const firstPage = validEvents.find(({ event }) => event.type === 'page_view')?.event;
  const referrer = firstPage?.type === 'page_view' && firstPage.referrer ? firstPage.referrer : null;
  return {
    siteId: site.id,
    anonymousId: envelope.anonymousId,
    sessionId: envelope.sessionId,
    receivedAt: request.receivedAt,
    events,
    session: {
      ...request.device,
      landingUrl: firstPage?.url ?? null,
      referrer,
      referrerHost: referrerHost(referrer ?? undefined),
      utmSource: utm?.source ?? null,
      utmMedium: utm?.medium ?? null,
      utmCampaign: utm?.campaign ?? null,
      utmTerm: utm?.term ?? null,
      utmContent: utm?.content ?? null,
      locale: envelope.context?.locale ?? null,
      screen: envelope.context?.screen ?? null,
      timezone: envelope.context?.timezone ?? null,
      ipPrefix: request.ipPrefix,
    },
  };
}
