import { z } from '@hono/zod-openapi';
import { SALES_OUTCOMES, STAGES } from '@leadbeam/scoring';
import { isoTime, nextCursor } from './common-schemas.ts';

export const leadSchema = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    traits: z.record(z.string(), z.unknown()),
    score: z.number().openapi({ description: 'Exact at the instant read, rounded to 2 decimals' }),
    mql: z.boolean(),
    mqlAt: isoTime.nullable().openapi({ description: 'When the lead last entered MQL (kept after it left)' }),
    stage: z.enum(STAGES),
    firstSeen: isoTime,
    lastSeen: isoTime,
    updatedAt: isoTime,
    stageChangedAt: isoTime,
  })
  .openapi('Lead');

export const breakdownSchema = z
  .object({
    ruleId: z.string(),
    events: z.number().int().openapi({ description: 'Events that scored' }),
    rawPoints: z.number().openapi({ description: 'Their points before decay' }),
    decayedPoints: z.number().openapi({ description: 'Their points decayed to `at` (2 decimals)' }),
    cappedEvents: z.number().int().openapi({ description: "Matching events over the rule's limit" }),
    capped: z.boolean().openapi({ description: "True when the rule's max cut its contribution" }),
  })
  .openapi('RuleBreakdown');

export const leadDetailSchema = leadSchema
  .extend({
    at: isoTime.openapi({ description: 'The instant the score, mql and stage are read at' }),
    rulesVersion: z.number().int(),
    breakdown: z.array(breakdownSchema),
    devices: z.object({
      count: z.number().int(),
      list: z.array(z.object({ anonymousId: z.string(), firstSeen: isoTime, lastSeen: isoTime })),
    }),
    sessions: z.object({ count: z.number().int() }),
  })
  .openapi('LeadDetail');

export const leadListSchema = z.object({ data: z.array(leadSchema), nextCursor }).openapi('LeadList');

export const leadEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    ts: isoTime,
    url: z.string().nullable(),
    sessionId: z.string(),
    anonymousId: z.string(),
  })
  .catchall(z.unknown())
  .openapi('LeadEvent', {
    description:
      "The event's own fields (tags, form, step, href, conversion, name, props, utm…) sit beside these",
  });

export const sessionSchema = z
  .object({
    id: z.string(),
    anonymousId: z.string(),
    startedAt: isoTime,
    lastSeen: isoTime,
    eventCount: z.number().int(),
    landingUrl: z.string().nullable(),
    referrer: z.string().nullable(),
    referrerHost: z.string().nullable(),
    utm: z.object({
      source: z.string().nullable(),
      medium: z.string().nullable(),
      campaign: z.string().nullable(),
      term: z.string().nullable(),
      content: z.string().nullable(),
    }),
    browser: z.string().nullable(),
    browserVersion: z.string().nullable(),
    os: z.string().nullable(),
    osVersion: z.string().nullable(),
    deviceType: z.string().nullable(),
    locale: z.string().nullable(),
    screen: z.string().nullable(),
    timezone: z.string().nullable(),
  })
  .openapi('Session');

export const transitionSchema = z
  .object({
    from: z.enum(STAGES),
    to: z.enum(STAGES),
    mql: z.boolean(),
    score: z.number(),
    cause: z.string().openapi({ description: 'score, decay, identify, sales, rescore or merge' }),
    reason: z.string().nullable(),
    at: isoTime,
  })
  .openapi('Transition');

export const stageBodySchema = z
  .strictObject({
    stage: z.enum(SALES_OUTCOMES),
    reason: z.string().max(500).optional(),
  })
  .openapi('SalesOutcome');

export const stageAnswerSchema = z
  .object({
    lead: leadSchema,
    from: z.enum(STAGES),
    to: z.enum(STAGES),
    changed: z.boolean().openapi({ description: 'False when the lead already was in that stage' }),
  })
  .openapi('StageChange');

export const erasedSchema = z
  .object({
    erased: z.object({
      leads: z.number().int(),
      devices: z.number().int(),
      sessions: z.number().int(),
      events: z.number().int(),
    }),
  })
  .openapi('Erased');

export type LeadJson = z.infer<typeof leadSchema>;
export type LeadDetailJson = z.infer<typeof leadDetailSchema>;
