import type { WireBatch, WireEventInput } from '@leadbeam/protocol';
import { captureClicks } from './auto-capture/clicks.ts';
import { captureForms, readEmailField } from './auto-capture/forms.ts';
import { pageKey, readMeta, watchHistory } from './auto-capture/page-views.ts';
import { backoffDelay } from './backoff.ts';
import { planBatches } from './batches.ts';
import { SCRIPT_TAG } from './build-flags.ts';
import { readContext } from './context.ts';
import type { Emit, Listen } from './events.ts';
import { forgetAnonymousId, readAnonymousId, storeAnonymousId } from './identity.ts';
import { createId } from './ids.ts';
import {
  LEASE_MS,
  MAX_PROP_VALUE,
  MAX_TITLE,
  MAX_TRAIT_VALUE,
  OUTBOX_MAX_EVENTS,
  SEND_DELAY_MS,
} from './limits.ts';
import {
  appendToOutbox,
  OUTBOX_KEY,
  type Outbox,
  type OutboxEntry,
  readOutbox,
  writeOutbox,
} from './outbox.ts';
import type { QueuedCall } from './queue.ts';
import { cleanEmail, cleanName, cleanRecord, cleanTags, cleanUrl, clip, type Scalar } from './sanitize.ts';
import { continueSession, SESSION_KEY, type Session } from './session.ts';
import { load, save } from './storage.ts';
import { beaconBatch, DROP, postBatch, RETRY, type SendOutcome } from './transport.ts';

export type LeadbeamOptions = {
  /** The site's public key, `pk_…`. */
  site: string;
  /** Collector base URL; events go to `${api}/v1/collect`. */
  api: string;
  /** Identify visitors from the email field of the forms they submit (default true). */
  autoIdentify?: boolean;
  /** Keep everything in memory, store and send nothing until `consent(true)` (default false). */
  requireConsent?: boolean;
  /** Page views, downloads, forms, thank-you pages and actions (default true). */
  autoCapture?: boolean;
  /** Calls made before the SDK loaded (the snippet's queue), replayed in order first. */
  queue?: ArrayLike<QueuedCall> | undefined;
};

export type Leadbeam = {
  /** Ties this device to a person; ignored for invalid emails and under GPC/DNT. */
  identify(email: string, traits?: Record<string, Scalar>): void;
  /** A custom event. */
  track(name: string, props?: Record<string, Scalar>): void;
  /** A page view of the current address (also recorded automatically). */
  page(): void;
  /** Grants (sends what was kept in memory) or withdraws (forgets everything) consent. */
  consent(granted: boolean): void;
  /** Forgets the visitor: new anonymous id and session (logout, shared computers). */
  reset(): void;
  /** Runs a queued call, `['track', name, props]`; the snippet's `push` keeps working. */
  push(call: QueuedCall): void;
  /** Sends what is waiting now instead of after the debounce. Not in the script-tag build. */
  flush(): void;
  /** Removes every listener and timer (tests, SPA teardown). Not in the script-tag build. */
  stop(): void;
};

type Privacy = Navigator & { globalPrivacyControl?: boolean };

/** Builds the tracker: identity, outbox, transport and the automatic capture of lead signals. */
export const createLeadbeam = (options: LeadbeamOptions): Leadbeam => {
  const url = `${options.api.replace(/\/+$/, '')}/v1/collect`;
  const nav = navigator as Privacy;
  // Global Privacy Control and Do Not Track turn identification off.
  const mayIdentify = !(nav.globalPrivacyControl || nav.doNotTrack === '1');
  let granted = !options.requireConsent;
  /** Events waiting for consent, in memory only. */
  let pending: WireEventInput[] = [];
  /** The last outbox seen; the working copy when storage is unavailable. */
  let outbox: Outbox = { q: [], d: 0 };
  /** Identity in memory, for when storage is unavailable. */
  let anonymousId: string | undefined;
  let session: Session | undefined;
  let lastPage: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const stops: (() => void)[] = [];

  const listen: Listen = (type, handler, target = document) => {
    target.addEventListener(type, handler, true);
    if (!SCRIPT_TAG) stops.push(() => target.removeEventListener(type, handler, true));
  };

  const onStop = (stop: () => void) => stops.push(stop);

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(send, ms);
  };

  const emit: Emit = (type, fields, urgent) => {
    const event = {
      id: createId(),
      type,
      ts: new Date().toISOString(),
      url: cleanUrl(location.href),
      ...fields,
    } as WireEventInput;
    if (granted) store([event]);
    else if (pending.push(event) > OUTBOX_MAX_EVENTS) pending.shift();
    urgent ? send(true) : schedule(SEND_DELAY_MS);
  };

  /** Binds events to the current identity and session and writes them to the outbox. */
  const store = (events: WireEventInput[]) => {
    session = continueSession(load<Session>(SESSION_KEY) ?? session, Date.now(), location.href);
    save(SESSION_KEY, session);
    anonymousId = readAnonymousId(anonymousId);
    const k = `${anonymousId} ${session.i}`;
    outbox = appendToOutbox(
      readOutbox(outbox),
      events.map((e): OutboxEntry => ({ k, e })),
    );
    writeOutbox(outbox);
  };

  /**
   * Sends what is due: with sendBeacon when the page is going away (`beacon`), else with fetch.
   * Leases keep later rounds and other tabs off the events in flight.
   */
  const send = (beacon?: boolean) => {
    if (!granted) return;
    const now = Date.now();
    outbox = readOutbox(outbox);
    const notBefore = outbox.n as number; // undefined > now is false
    if (notBefore > now) return beacon || schedule(notBefore - now);
    const batches = planBatches(outbox.q, now);
    for (const entry of batches.flat()) entry.f = now + LEASE_MS;
    writeOutbox(outbox);
    // UTM of the current session (a batch left from an earlier session is sent under its ids)
    const current = load<Session>(SESSION_KEY) ?? session;
    for (const batch of batches) {
      const [anonymousId, sessionId] = (batch[0] as OutboxEntry).k.split(' ') as [string, string];
      const envelope: WireBatch = {
        site: options.site,
        anonymousId,
        sessionId,
        sentAt: new Date(now).toISOString(),
        context: readContext(current?.u),
        events: batch.map((entry) => entry.e),
      };
      const body = JSON.stringify(envelope);
      if (!(beacon && beaconBatch(url, body))) postBatch(url, body).then((outcome) => settle(batch, outcome));
    }
    // Look again when the leases end: beaconed events get no answer and are confirmed by fetch,
    // and events another tab had in flight come back if that tab went away.
    if (outbox.q.length) schedule(LEASE_MS);
  };

  /** Applies a batch's outcome to the outbox: remove acknowledged or refused events, else back off. */
  const settle = (batch: OutboxEntry[], outcome: SendOutcome) => {
    const ids = batch.map((entry) => entry.e.id);
    // ACK and DROP (< RETRY: a Retry-After delay is >= 0, RETRY is -1) remove the batch's events;
    // a retry keeps them and ends their lease (`delete` is true: the entry stays)
    outbox = readOutbox(outbox);
    outbox.q = outbox.q.filter((entry) => !ids.includes(entry.e.id) || (outcome >= RETRY && delete entry.f));
    if (outcome >= RETRY) outbox.n = Date.now() + (outcome === RETRY ? backoffDelay(failures++) : outcome);
    else if (outcome === DROP) outbox.d += batch.length;
    else failures = 0;
    writeOutbox(outbox);
    schedule(0); // what is left, or the retry when its time comes
  };

  const api = {
    identify(email, traits) {
      const clean = cleanEmail(email);
      if (clean && mayIdentify)
        emit('identify', { email: clean, traits: cleanRecord(traits, MAX_TRAIT_VALUE) });
    },
    track(name, props) {
      const clean = cleanName(name);
      if (clean) emit('track', { name: clean, props: cleanRecord(props, MAX_PROP_VALUE) });
    },
    page() {
      emit('page_view', {
        title: clip(document.title, MAX_TITLE),
        referrer: cleanUrl(lastPage ?? document.referrer) ?? '',
        tags: cleanTags(readMeta('lb:tags')),
      });
      lastPage = location.href;
      const conversion = cleanName(readMeta('lb:thank-you'));
      if (conversion) emit('thank_you', { conversion });
    },
    consent(yes) {
      if (yes && !granted) {
        granted = true;
        store(pending);
        send();
      }
      if (!yes) {
        granted = false;
        forgetAnonymousId();
        anonymousId = session = undefined;
        save(SESSION_KEY);
        save(OUTBOX_KEY);
        outbox = { q: [], d: 0 };
      }
      pending = [];
    },
    reset() {
      // Before consent nothing identifies the visitor yet: there is nothing to forget.
      if (granted) {
        anonymousId = storeAnonymousId(createId());
        session = undefined;
        save(SESSION_KEY);
      }
    },
    // every method takes at most two arguments
    push: (call) =>
      (api as unknown as Record<string, (...a: unknown[]) => void>)[call[0] as string]?.(call[1], call[2]),
  } as Leadbeam;
  if (!SCRIPT_TAG) {
    api.flush = () => send();
    api.stop = () => {
      clearTimeout(timer);
      for (const stop of stops.splice(0)) stop();
    };
  }

  // replay in order (Array.from's mapping function: push ignores the index it is also given)
  Array.from(options.queue ?? [], api.push);

  if (SCRIPT_TAG || options.autoCapture !== false) {
    api.page();
    watchHistory(listen, () => pageKey(location.href) !== pageKey(lastPage ?? '') && api.page(), onStop);
    captureClicks(listen, emit);
    captureForms(
      listen,
      emit,
      (form) => options.autoIdentify !== false && api.identify(readEmailField(form) as string),
    );
  } else schedule(SEND_DELAY_MS); // what an earlier page left (page() above schedules it too)
  listen('visibilitychange', () => document.visibilityState === 'hidden' && send(true));
  listen('pagehide', () => send(true), window);
  return api;
};
