/**
 * The single source of truth of Leadbeam's storage. Every table carries `site_id` and every
 * unique key starts with it, so the schema can be distributed by site (Citus). `events` is the
 * source of truth; leads' scores and sessions can be rebuilt from it.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const sites = pgTable(
  'sites',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    publicKey: text('public_key').notNull(),
    /** SHA-256 of the secret key; the key itself is shown once and never stored. */
    secretKeyHash: text('secret_key_hash').notNull(),
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    /** Site settings (collector URL rules, rate limits, allowed traits); validated by the collector. */
    settings: jsonb('settings').notNull().default({}),
    rulesVersion: integer('rules_version').notNull().default(1),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sites_public_key').on(t.publicKey),
    uniqueIndex('sites_secret_key_hash').on(t.secretKeyHash),
  ],
);

export const scoringRules = pgTable(
  'scoring_rules',
  {
    siteId: text('site_id').notNull(),
    version: integer('version').notNull(),
    rules: jsonb('rules').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.version] })],
);

export const leads = pgTable(
  'leads',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    email: text('email'),
    traits: jsonb('traits').notNull().default({}),
    stage: text('stage').notNull().default('visitor'),
    mql: boolean('mql').notNull().default(false),
    mqlAt: time('mql_at'),
    /** Score at `score_at`; the exact score at any later instant comes from `score_state`. */
    score: doublePrecision('score').notNull().default(0),
    scoreAt: time('score_at').notNull().defaultNow(),
    /**
     * The scoring engine's incremental per-rule state (value, anchor) under `rules_version`.
     * `json`, not `jsonb`: only the collector reads it, whole, and jsonb would parse each of its
     * numbers into a numeric on every write and print them again on every read.
     */
    scoreState: json('score_state').notNull().default({}),
    rulesVersion: integer('rules_version').notNull().default(0),
    firstSeen: time('first_seen').notNull(),
    lastSeen: time('last_seen').notNull(),
    /** Set when this anonymous lead was merged into an identified one; the id keeps resolving to it. */
    mergedInto: text('merged_into'),
    stageChangedAt: time('stage_changed_at').notNull().defaultNow(),
    createdAt: time('created_at').notNull().defaultNow(),
    updatedAt: time('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    uniqueIndex('leads_site_email')
      .on(t.siteId, t.email)
      .where(sql`email is not null and merged_into is null`),
    index('leads_site_updated').on(t.siteId, t.updatedAt, t.id),
    index('leads_site_stage').on(t.siteId, t.stage, t.updatedAt, t.id),
    index('leads_site_mql').on(t.siteId, t.updatedAt, t.id).where(sql`mql and merged_into is null`),
    // `GET /v1/leads?sort=score` and its score filters, read backwards (highest first).
    index('leads_site_score').on(t.siteId, t.score, t.id).where(sql`merged_into is null`),
  ],
);

export const devices = pgTable(
  'devices',
  {
    siteId: text('site_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    leadId: text('lead_id').notNull(),
    firstSeen: time('first_seen').notNull(),
    lastSeen: time('last_seen').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.anonymousId] }),
    index('devices_site_lead').on(t.siteId, t.leadId),
    // The funnel's new visitors per week.
    index('devices_site_first_seen').on(t.siteId, t.firstSeen),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    leadId: text('lead_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    startedAt: time('started_at').notNull(),
    lastSeen: time('last_seen').notNull(),
    eventCount: integer('event_count').notNull().default(0),
    landingUrl: text('landing_url'),
    referrer: text('referrer'),
    referrerHost: text('referrer_host'),
    utmSource: text('utm_source'),
    utmMedium: text('utm_medium'),
    utmCampaign: text('utm_campaign'),
    utmTerm: text('utm_term'),
    utmContent: text('utm_content'),
    browser: text('browser'),
    browserVersion: text('browser_version'),
    os: text('os'),
    osVersion: text('os_version'),
    deviceType: text('device_type'),
    locale: text('locale'),
    screen: text('screen'),
    timezone: text('timezone'),
    /** The visitor's IP truncated to /24 (IPv4) or /48 (IPv6); never the full address. */
    ipPrefix: text('ip_prefix'),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    index('sessions_site_lead').on(t.siteId, t.leadId, t.startedAt),
  ],
);

export const events = pgTable(
  'events',
  {
    siteId: text('site_id').notNull(),
    /** The SDK's event id: an event is stored at most once per site. */
    id: text('id').notNull(),
    leadId: text('lead_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    sessionId: text('session_id').notNull(),
    type: text('type').notNull(),
    ts: time('ts').notNull(),
    receivedAt: time('received_at').notNull(),
    url: text('url'),
    path: text('path'),
    /**
     * The type's own fields (tags, form, step, href, conversion, name, traits, props). `json`, not
     * `jsonb`: read back whole by scoring and the history API, never queried inside.
     */
    data: json('data').notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    index('events_site_lead_ts').on(t.siteId, t.leadId, t.ts),
    // The funnel's form drop-off and thank-you pages: a few events of many, so the index stays small.
    index('events_site_conversions')
      .on(t.siteId, t.type, t.ts)
      .where(sql`type in ('form_step', 'form_submit', 'thank_you')`),
  ],
);

export const leadMerges = pgTable(
  'lead_merges',
  {
    siteId: text('site_id').notNull(),
    id: bigserial('id', { mode: 'number' }).notNull(),
    /** `merge`: an anonymous lead folded into an identified one; `switch`: a device moved to another lead. */
    kind: text('kind').notNull(),
    fromLeadId: text('from_lead_id').notNull(),
    toLeadId: text('to_lead_id').notNull(),
    anonymousId: text('anonymous_id').notNull(),
    eventId: text('event_id'),
    at: time('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    index('lead_merges_site_to').on(t.siteId, t.toLeadId),
    index('lead_merges_site_from').on(t.siteId, t.fromLeadId),
  ],
);

export const leadTransitions = pgTable(
  'lead_transitions',
  {
    siteId: text('site_id').notNull(),
    id: bigserial('id', { mode: 'number' }).notNull(),
    leadId: text('lead_id').notNull(),
    fromStage: text('from_stage').notNull(),
    toStage: text('to_stage').notNull(),
    mql: boolean('mql').notNull(),
    score: doublePrecision('score').notNull(),
    /** What caused it: `score`, `decay`, `identify`, `sales`, `rescore`, `merge`. */
    cause: text('cause').notNull(),
    reason: text('reason'),
    at: time('at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    index('lead_transitions_site_lead').on(t.siteId, t.leadId, t.at),
    // The funnel's stage entries per week, and where the live MQL feed resumes.
    index('lead_transitions_site_at').on(t.siteId, t.at),
  ],
);

export const webhooks = pgTable(
  'webhooks',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    url: text('url').notNull(),
    /** The signing secret, AES-256-GCM encrypted with the collector's LEADBEAM_SECRET. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    eventTypes: text('event_types').array().notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] })],
);

/** The transactional outbox: written in the transaction that caused the delivery, sent afterwards. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    webhookId: text('webhook_id').notNull(),
    leadId: text('lead_id'),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: time('next_attempt_at').notNull().defaultNow(),
    lastStatus: integer('last_status'),
    lastError: text('last_error'),
    deliveredAt: time('delivered_at'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    index('webhook_deliveries_due').on(t.nextAttemptAt).where(sql`status = 'pending'`),
    index('webhook_deliveries_site_webhook').on(t.siteId, t.webhookId, t.createdAt),
  ],
);

/** The site's URL rules, versioned like its scoring rules; `sites.settings.urlRules` is the current one. */
export const urlRuleVersions = pgTable(
  'url_rule_versions',
  {
    siteId: text('site_id').notNull(),
    version: integer('version').notNull(),
    rules: jsonb('rules').notNull(),
    /** The console user who published it; null for a secret key or the CLI. */
    createdBy: text('created_by'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.version] })],
);

/** People who sign in to the marketer console of one site. Not API keys: a role, a password. */
export const consoleUsers = pgTable(
  'console_users',
  {
    siteId: text('site_id').notNull(),
    id: text('id').notNull(),
    /** Normalised like a lead's email; unique per site. */
    email: text('email').notNull(),
    /** `owner`, `marketer`, `sales` or `viewer`. */
    role: text('role').notNull(),
    /** scrypt hash (`scrypt$N$r$p$salt$hash`); null until the user sets a password. */
    passwordHash: text('password_hash'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.id] }),
    uniqueIndex('console_users_email').on(t.siteId, t.email),
  ],
);

/**
 * Signed-in browsers: the cookie holds the site id and a random token (`<site>.<token>`), the table
 * the token's SHA-256, so a session is found by its primary key on a database distributed by site.
 */
export const consoleSessions = pgTable(
  'console_sessions',
  {
    siteId: text('site_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id').notNull(),
    createdAt: time('created_at').notNull().defaultNow(),
    lastSeenAt: time('last_seen_at').notNull().defaultNow(),
    expiresAt: time('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.siteId, t.tokenHash] }),
    index('console_sessions_user').on(t.siteId, t.userId),
  ],
);

/** One-time links (`<site>.<token>`, like sessions): setting a first password (invitations, the CLI). */
export const consoleTokens = pgTable(
  'console_tokens',
  {
    siteId: text('site_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    userId: text('user_id').notNull(),
    purpose: text('purpose').notNull(),
    expiresAt: time('expires_at').notNull(),
    usedAt: time('used_at'),
    createdAt: time('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.tokenHash] })],
);

/** Who changed rules, tags, webhooks, users and keys, when, and what. Read by owners. */
export const auditLog = pgTable(
  'audit_log',
  {
    siteId: text('site_id').notNull(),
    id: bigserial('id', { mode: 'number' }).notNull(),
    at: time('at').notNull().defaultNow(),
    /** `user:<id>` for a console user, `key` for the secret key, `cli` for the command line. */
    actor: text('actor').notNull(),
    /** The actor's email when a console user, kept so the log reads after the user is removed. */
    actorEmail: text('actor_email'),
    /** e.g. `scoring.publish`, `url-rules.publish`, `webhook.create`, `user.invite`, `key.rotate`. */
    action: text('action').notNull(),
    target: text('target'),
    details: jsonb('details').notNull().default({}),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.id] }), index('audit_log_site_at').on(t.siteId, t.at)],
);
