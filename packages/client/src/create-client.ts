import { createRequester, type FetchLike } from './request.ts';
import { mapResult, type Result } from './result.ts';
import type {
  CreatedWebhook,
  Erased,
  Lead,
  LeadDetail,
  LeadEvent,
  LeadFilters,
  LeadSession,
  Page,
  PageOptions,
  SalesOutcome,
  SavedScoring,
  ScoringPreview,
  ScoringRules,
  ScoringVersion,
  StageChange,
  Stats,
  Transition,
  Webhook,
  WebhookDelivery,
  WebhookEventType,
} from './types.ts';

export type ClientOptions = {
  /** The collector's address, e.g. `https://collect.example.com`. */
  baseUrl: string;
  /** The site's secret key, `sk_…` (never put it in a browser). */
  secretKey: string;
  /** Another fetch (tests pass `app.request`); the global one by default. */
  fetch?: FetchLike;
  /** Give up on a request after this long (default 30 s). */
  timeoutMs?: number;
};

const leadPath = (idOrEmail: string) => `/v1/leads/${encodeURIComponent(idOrEmail)}`;
const webhookPath = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;
const dataOf = <T>(answer: { data: T }) => answer.data;

/** A typed client for the lead API. Every method answers a `Result`: it never throws for API or network errors. */
export function createLeadbeamClient(options: ClientOptions) {
  const request = createRequester({
    baseUrl: options.baseUrl,
    secretKey: options.secretKey,
    fetch: options.fetch ?? ((url, init) => fetch(url, init)),
    timeoutMs: options.timeoutMs ?? 30_000,
  });

  /** One page of the site's leads, least recently updated first; pass `nextCursor` back as `cursor`. */
  const listLeads = (filters: LeadFilters = {}): Promise<Result<Page<Lead>>> =>
    request('/v1/leads', {
      query: {
        stage: filters.stage,
        mql: filters.mql,
        minScore: filters.minScore,
        updatedSince: filters.updatedSince,
        limit: filters.limit,
        cursor: filters.cursor,
      },
    });

  /**
   * Every lead matching the filters, page after page. Yields `{ ok: true, value: lead }` per lead;
   * a page that fails yields one `{ ok: false, error }` and ends the iteration.
   */
  async function* iterateLeads(
    filters: Omit<LeadFilters, 'cursor'> = {},
  ): AsyncGenerator<Result<Lead>, void> {
    let cursor: string | null = null;
    do {
      const page = await listLeads(cursor === null ? filters : { ...filters, cursor });
      if (!page.ok) {
        yield page;
        return;
      }
      for (const value of page.value.data) yield { ok: true, value };
      cursor = page.value.nextCursor;
    } while (cursor !== null);
  }

  return {
    listLeads,
    iterateLeads,

    /** A lead by id or email, its devices, sessions and score breakdown; `at` reads it at another instant. */
    getLead: (idOrEmail: string, read: { at?: string | Date } = {}): Promise<Result<LeadDetail>> =>
      request(leadPath(idOrEmail), { query: { at: read.at } }),

    /** The lead's events, newest first, a page at a time. */
    leadEvents: (idOrEmail: string, page: PageOptions = {}): Promise<Result<Page<LeadEvent>>> =>
      request(`${leadPath(idOrEmail)}/events`, { query: page }),

    /** The lead's sessions, newest first: landing page, referrer, UTM, device. */
    leadSessions: async (idOrEmail: string): Promise<Result<LeadSession[]>> =>
      mapResult(await request<{ data: LeadSession[] }>(`${leadPath(idOrEmail)}/sessions`), dataOf),

    /** The lead's stage history, oldest first, with the score and cause of each move. */
    leadTransitions: async (idOrEmail: string): Promise<Result<Transition[]>> =>
      mapResult(await request<{ data: Transition[] }>(`${leadPath(idOrEmail)}/transitions`), dataOf),

    /** Reports a sales outcome; `conflict` (409) when the lifecycle does not allow the move. */
    setStage: (idOrEmail: string, stage: SalesOutcome, reason?: string): Promise<Result<StageChange>> =>
      request(`${leadPath(idOrEmail)}/stage`, {
        method: 'POST',
        body: reason === undefined ? { stage } : { stage, reason },
      }),

    /** Erases a person: the lead, the leads merged into it, their devices, sessions and events. */
    eraseLead: async (idOrEmail: string): Promise<Result<Erased>> =>
      mapResult(
        await request<{ erased: Erased }>(leadPath(idOrEmail), { method: 'DELETE' }),
        (a) => a.erased,
      ),

    /** The rules the site scores with now, and their version. */
    getScoring: (): Promise<Result<ScoringVersion>> => request('/v1/scoring'),

    /** Saves the rules as the next version and re-scores every lead; `invalid_request` lists the issues. */
    setScoring: (rules: ScoringRules): Promise<Result<SavedScoring>> =>
      request('/v1/scoring', { method: 'PUT', body: rules }),

    /** Backtests rules on the stored events without saving them: who would enter and leave MQL. */
    previewScoring: (rules: ScoringRules): Promise<Result<ScoringPreview>> =>
      request('/v1/scoring/preview', { method: 'POST', body: rules }),

    /** Subscribes `url` to lead events (all by default); the signing secret is in this answer only. */
    createWebhook: (input: { url: string; events?: WebhookEventType[] }): Promise<Result<CreatedWebhook>> =>
      request('/v1/webhooks', { method: 'POST', body: input }),

    /** The site's webhooks (never their secrets). */
    listWebhooks: async (): Promise<Result<Webhook[]>> =>
      mapResult(await request<{ data: Webhook[] }>('/v1/webhooks'), dataOf),

    /** Deletes a webhook; its pending deliveries are dropped. */
    deleteWebhook: async (id: string): Promise<Result<void>> =>
      mapResult(await request(webhookPath(id), { method: 'DELETE' }), () => undefined),

    /** A webhook's delivery log, newest first. */
    webhookDeliveries: (id: string, page: PageOptions = {}): Promise<Result<Page<WebhookDelivery>>> =>
      request(`${webhookPath(id)}/deliveries`, { query: page }),

    /** Leads, MQLs, SQLs, the MQL→SQL ratio and the median speed to lead (of leads first seen since `since`). */
    stats: (filters: { since?: string | Date } = {}): Promise<Result<Stats>> =>
      request('/v1/stats', { query: { since: filters.since } }),
  };
}

export type LeadbeamClient = ReturnType<typeof createLeadbeamClient>;
