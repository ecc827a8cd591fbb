/** The shapes of the lead API (DESIGN.md, "Lead API"); times are ISO 8601 strings. */

export type Stage = 'visitor' | 'lead' | 'mql' | 'sal' | 'sql' | 'recycled' | 'disqualified';
/** What sales can report back. */
export type SalesOutcome = 'sal' | 'sql' | 'recycled' | 'disqualified';

export type Lead = {
  id: string;
  email: string | null;
  traits: Record<string, unknown>;
  /** Exact at the instant read, rounded to 2 decimals. */
  score: number;
  mql: boolean;
  /** When the lead last entered MQL (kept after it left). */
  mqlAt: string | null;
  stage: Stage;
  firstSeen: string;
  lastSeen: string;
  updatedAt: string;
  stageChangedAt: string;
};

export type RuleBreakdown = {
  ruleId: string;
  /** Events that scored. */
  events: number;
  rawPoints: number;
  decayedPoints: number;
  /** Matching events over the rule's limit. */
  cappedEvents: number;
  capped: boolean;
};

export type LeadDetail = Lead & {
  /** The instant score, mql and stage are read at. */
  at: string;
  rulesVersion: number;
  breakdown: RuleBreakdown[];
  devices: { count: number; list: { anonymousId: string; firstSeen: string; lastSeen: string }[] };
  sessions: { count: number };
};

export type LeadFilters = {
  stage?: Stage;
  mql?: boolean;
  minScore?: number;
  updatedSince?: string | Date;
  /** 1 to 200, 50 by default. */
  limit?: number;
  cursor?: string;
};

export type Page<T> = { data: T[]; nextCursor: string | null };

export type PageOptions = { limit?: number; cursor?: string };

/** A stored event: these fields, and the event's own (tags, form, step, href, name, props…). */
export type LeadEvent = {
  id: string;
  type: string;
  ts: string;
  url: string | null;
  sessionId: string;
  anonymousId: string;
  [field: string]: unknown;
};

export type LeadSession = {
  id: string;
  anonymousId: string;
  startedAt: string;
  lastSeen: string;
  eventCount: number;
  landingUrl: string | null;
  referrer: string | null;
  referrerHost: string | null;
  utm: Record<'source' | 'medium' | 'campaign' | 'term' | 'content', string | null>;
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: string | null;
  locale: string | null;
  screen: string | null;
  timezone: string | null;
};

export type Transition = {
  from: Stage;
  to: Stage;
  mql: boolean;
  score: number;
  /** score, decay, identify, sales, rescore or merge */
  cause: string;
  reason: string | null;
  at: string;
};

export type StageChange = { lead: Lead; from: Stage; to: Stage; changed: boolean };

/** What an erasure removed. */
export type Erased = { leads: number; devices: number; sessions: number; events: number };

/** Scoring rules as written (DESIGN.md, "Scoring"); the collector validates them. */
export type ScoringRules = {
  halfLife?: string;
  mql?: {
    threshold?: number;
    exitThreshold?: number;
    requireEmail?: boolean;
    excludeEmailDomains?: string[];
  };
  rules: {
    id: string;
    on: string;
    match?: Record<string, unknown>;
    points: number;
    halfLife?: string;
    limit?: { count: number; per: string };
    [field: string]: unknown;
  }[];
  [field: string]: unknown;
};

export type PreviewLead = { id: string; email: string | null; scoreBefore: number; scoreAfter: number };

export type ScoringPreview = {
  leads: number;
  mqlBefore: number;
  mqlAfter: number;
  entering: PreviewLead[];
  leaving: PreviewLead[];
};

export type WebhookEventType = 'lead.mql' | 'lead.unqualified' | 'lead.stage_changed' | 'lead.merged';

export type Webhook = {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
};

/** The answer to `createWebhook`: the only time the signing secret is shown. */
export type CreatedWebhook = Webhook & { secret: string };

export type WebhookDelivery = {
  id: string;
  eventType: WebhookEventType;
  leadId: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** The receiver's last HTTP status. */
  lastStatus: number | null;
  lastError: string | null;
  /** While pending: when the next attempt is due. */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
};

export type ScoringVersion = { version: number; rules: ScoringRules; createdAt: string };

export type SavedScoring = { version: number; rescored: { leads: number; events: number } };

export type Stats = {
  /** Live leads (merged ones count once). */
  leads: number;
  identifiedLeads: number;
  /** Leads whose MQL flag is set now. */
  mqls: number;
  sqls: number;
  /** Of the leads that ever entered MQL, the share that reached SQL after; null without MQLs. */
  mqlToSqlRatio: number | null;
  /** Median seconds from a lead's first MQL entry to the first sales outcome; null when none. */
  medianSpeedToLeadSeconds: number | null;
};
