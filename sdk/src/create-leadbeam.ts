import type { WireBatch, WireEventInput } from '@leadbeam/protocol';
import { captureActions } from './auto-capture/actions.ts';
import { captureDownloads } from './auto-capture/downloads.ts';
import { captureForms, readEmailField } from './auto-capture/forms.ts';
import { describePage, pageKey, readMeta, watchHistory } from './auto-capture/page-views.ts';
import { backoffDelay } from './backoff.ts';
import { planBatches } from './batches.ts';
import { readContext } from './context.ts';
import type { Emit, Listen } from './events.ts';
import { forgetAnonymousId, readAnonymousId, storeAnonymousId } from './identity.ts';
import { createId } from './ids.ts';
import { LEASE_MS, MAX_PROP_VALUE, MAX_TRAIT_VALUE, SEND_DELAY_MS } from './limits.ts';
import {
  appendToOutbox,
  OUTBOX_KEY,
  type Outbox,
  type OutboxEntry,
  readOutbox,
  writeOutbox,
} from './outbox.ts';
import { callApi, type QueuedCall } from './queue.ts';
import { cleanEmail, cleanName, cleanRecord, cleanUrl, type Scalar } from './sanitize.ts';
import { continueSession, SESSION_KEY, type Session } from './session.ts';
import { readJson, writeLocal } from './storage.ts';
import { beaconBatch, postBatch, type SendOutcome } from './transport.ts';

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
  /** Global Privacy Control and Do Not Track turn identification off (default true). */
  honorPrivacySignals?: boolean;
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
  /** Sends what is waiting now instead of after the debounce. */
  flush(): void;
  /** Removes every listener and timer (tests, SPA teardown). */
  stop(): void;
};

type Privacy = Navigator & { globalPrivacyControl?: boolean };

/** Builds the tracker: identity, outbox, transport and the automatic capture of lead signals. */
export function createLeadbeam(options: LeadbeamOptions): Leadbeam {
  const url = `${options.api.replace(/\/+$/, '')}/v1/collect`;
  const nav = navigator as Privacy;
  const mayIdentify =
    options.honorPrivacySignals === false || !(nav.globalPrivacyControl || nav.doNotTrack === '1');
  let granted = !options.requireConsent;
  /** Events waiting for consent, in memory only. */
  let pending: WireEventInput[] = [];
  /** The last outbox seen; the working copy when storage is unavailable. */
  let outbox: Outbox = { q: [], d: 0 };
  let renewIdentity = false;
  /** Identity in memory, for when storage is unavailable. */
  let anonymousId: string | undefined;
  let session: Session | undefined;
  let lastPage: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending = false;
  let failures = 0;
  const stops: (() => void)[] = [];

  const listen: Listen = (target, type, handler) => {
    target.addEventListener(type, handler, true);
    stops.push(() => target.removeEventListener(type, handler, true));
  };

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
    else pending.push(event);
    urgent ? send(true) : schedule(SEND_DELAY_MS);
  };

  /** Binds events to the current identity and session and writes them to the outbox. */
  const store = (events: WireEventInput[]) => {
    if (renewIdentity) {
      renewIdentity = false;
      anonymousId = storeAnonymousId(createId());
      session = undefined;
      writeLocal(SESSION_KEY, null);
    }
    session = continueSession(readJson<Session>(SESSION_KEY) ?? session, Date.now(), location.href);
    writeLocal(SESSION_KEY, JSON.stringify(session));
    anonymousId = readAnonymousId(anonymousId);
    const k = `${anonymousId} ${session.i}`;
    outbox = appendToOutbox(
      readOutbox(outbox),
      events.map((e): OutboxEntry => ({ k, e })),
    );
    writeOutbox(outbox);
  };

  /**
   * Sends what is due: with sendBeacon when the page is going away (`beacon`), else with fetch,
   * one round at a time per tab. Leases keep other tabs and later rounds off events in flight.
   */
  const send = (beacon?: boolean) => {
    clearTimeout(timer);
    if (!granted) return;
    const now = Date.now();
    outbox = readOutbox(outbox);
    const notBefore = outbox.n ?? 0;
    if (notBefore > now) return beacon || schedule(notBefore - now);
    if (sending && !beacon) return;
    const batches = planBatches(outbox.q, now);
    if (!batches.length) {
      // Everything left is leased (in flight or beaconed): look again when the first lease ends.
      if (outbox.q.length) schedule(Math.min(...outbox.q.map((entry) => entry.f ?? 0)) - now);
      return;
    }
    for (const entry of batches.flat()) entry.f = now + LEASE_MS;
    writeOutbox(outbox);
    const current = readJson<Session>(SESSION_KEY) ?? session;
    const rounds = batches.map((batch) => {
      const [anonymousId, sessionId] = (batch[0] as OutboxEntry).k.split(' ') as [string, string];
      const envelope: WireBatch = {
        site: options.site,
        anonymousId,
        sessionId,
        sentAt: new Date(now).toISOString(),
        context: readContext(current?.i === sessionId ? current.u : undefined),
        events: batch.map((entry) => entry.e),
      };
      const body = JSON.stringify(envelope);
      return beacon && beaconBatch(url, body)
        ? 0
        : postBatch(url, body).then((outcome) => settle(batch, outcome));
    });
    if (!beacon) {
      sending = true;
      Promise.all(rounds).then(() => {
        sending = false;
        if (readOutbox(outbox).q.length) schedule(0);
      });
    }
  };

  /** Applies a batch's outcome to the outbox: remove acknowledged or refused events, else back off. */
  const settle = (batch: OutboxEntry[], outcome: SendOutcome) => {
    const ids = new Set(batch.map((entry) => entry.e.id));
    outbox = readOutbox(outbox);
    if (outcome === 'ack' || outcome === 'drop') {
      outbox.q = outbox.q.filter((entry) => !ids.has(entry.e.id));
      if (outcome === 'drop') outbox.d += batch.length;
      else failures = 0;
    } else {
      for (const entry of outbox.q) if (ids.has(entry.e.id)) delete entry.f;
      outbox.n = Date.now() + (outcome === 'retry' ? backoffDelay(failures++) : outcome);
    }
    writeOutbox(outbox);
  };

  const api: Leadbeam = {
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
      const referrer = lastPage ?? document.referrer;
      lastPage = location.href;
      emit('page_view', describePage(referrer));
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
        writeLocal(SESSION_KEY, null);
        writeLocal(OUTBOX_KEY, null);
        outbox = { q: [], d: 0 };
      }
      pending = [];
    },
    reset() {
      renewIdentity = true;
      if (granted) store([]);
    },
    push: (call) => callApi(api, call),
    flush: () => send(),
    stop() {
      clearTimeout(timer);
      for (const stop of stops.splice(0)) stop();
    },
  };

  for (const call of Array.from(options.queue ?? [])) api.push(call);

  if (options.autoCapture !== false) {
    const autoIdentify = options.autoIdentify !== false;
    api.page();
    stops.push(watchHistory(listen, () => pageKey(location.href) !== pageKey(lastPage ?? '') && api.page()));
    captureDownloads(listen, emit);
    captureActions(listen, emit);
    captureForms(
      listen,
      emit,
      autoIdentify ? (form) => api.identify(readEmailField(form) as string) : undefined,
      (stop) => stops.push(stop),
    );
  }
  listen(document, 'visibilitychange', () => document.visibilityState === 'hidden' && send(true));
  listen(window, 'pagehide', () => send(true));
  schedule(SEND_DELAY_MS);
  return api;
}
