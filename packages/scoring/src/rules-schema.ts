import { EVENT_TYPES, type EventType, LIMITS } from '@leadbeam/protocol';
import { z } from 'zod';
import { checkDuration, DURATION_HINT, DURATION_PATTERN } from './duration.ts';
import { checkGlob, GLOB_LIMITS } from './glob.ts';
import { MATCH_BUDGET, ruleMatchCost } from './match-cost.ts';

/** Bounds of a rule set; they keep scores readable and the per-lead state small. */
export const RULE_BOUNDS = {
  maxRules: 200,
  maxPoints: 1000,
  maxScore: 1_000_000,
  minHalfLife: '1m',
  maxHalfLife: '3650d',
  minLimitPer: '1m',
  maxLimitPer: '90d',
  maxLimitCount: 1000,
  maxGlobLength: GLOB_LIMITS.maxLength,
  maxGlobWildcards: GLOB_LIMITS.maxWildcards,
  matchBudget: MATCH_BUDGET,
  maxExcludedDomains: 500,
} as const;

const duration = (min: string, max: string) =>
  z
    .string()
    .regex(DURATION_PATTERN, { message: `must be ${DURATION_HINT}`, abort: true })
    .superRefine((text, ctx) => {
      const problem = checkDuration(text, min, max);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/** A glob as rules and URL rules take it: `*` wildcards, within GLOB_LIMITS. */
export const globSchema = z
  .string()
  .min(1)
  .max(RULE_BOUNDS.maxGlobLength)
  .superRefine((pattern, ctx) => {
    const problem = checkGlob(pattern);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const glob = globSchema;
const globOrList = z.union([glob, z.array(glob).min(1).max(50)]);
const extension = z.string().regex(/^\.?[a-z0-9]{1,10}$/i, 'must be a file extension like "pdf"');

/** What an event must carry for a rule to fire. Every listed criterion must hold; globs use `*`. */
export const ruleMatchSchema = z
  .strictObject({
    path: glob.describe('Glob on the page path, e.g. "/pricing*"').optional(),
    url: glob.describe('Glob on the full page URL (for downloads: the page or the file URL)').optional(),
    tag: globOrList
      .describe('Tag the event carries (page views, downloads); a list means any of them')
      .optional(),
    form: glob.describe('Form name (form_step, form_submit)').optional(),
    step: z
      .union([z.number().int().min(1).max(50), glob])
      .describe('Step number, or a glob on the step name (form_step)')
      .optional(),
    conversion: glob.describe('Conversion name (thank_you)').optional(),
    name: glob.describe('Action or track event name').optional(),
    extension: z
      .union([extension, z.array(extension).min(1).max(50)])
      .describe('File extension of a download; a list means any of them')
      .optional(),
    utm: z
      .strictObject({ source: glob.optional(), medium: glob.optional(), campaign: glob.optional() })
      .describe('UTM parameters of the session the event belongs to')
      .optional(),
  })
  .describe('Criteria an event must all meet; omit to match every event of the type');

export type RuleMatchKey = keyof z.infer<typeof ruleMatchSchema>;

/** The match criteria each event type can satisfy; others would silently never match. */
export const MATCH_KEYS_BY_TYPE: Readonly<Record<EventType, readonly RuleMatchKey[]>> = {
  page_view: ['path', 'url', 'tag', 'utm'],
  download: ['path', 'url', 'tag', 'extension', 'utm'],
  form_step: ['path', 'url', 'form', 'step', 'utm'],
  form_submit: ['path', 'url', 'form', 'utm'],
  thank_you: ['path', 'url', 'conversion', 'utm'],
  action: ['path', 'url', 'name', 'utm'],
  identify: ['path', 'url', 'utm'],
  track: ['path', 'url', 'name', 'utm'],
};

const slug = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, 'must be a slug: lower-case letters and digits joined by - or _');

export const scoringRuleSchema = z
  .strictObject({
    id: slug.describe('Unique id of the rule, shown in explanations'),
    on: z.enum(EVENT_TYPES).describe('Event type the rule scores'),
    match: ruleMatchSchema.optional(),
    points: z
      .number()
      .min(-RULE_BOUNDS.maxPoints)
      .max(RULE_BOUNDS.maxPoints)
      .refine((points) => points !== 0, 'must not be 0 (remove the rule instead)')
      .describe('Points per matching event; negative points lower the score'),
    halfLife: duration(RULE_BOUNDS.minHalfLife, RULE_BOUNDS.maxHalfLife)
      .describe("Half-life of this rule's points; defaults to the rule set's")
      .optional(),
    limit: z
      .strictObject({
        count: z.number().int().min(1).max(RULE_BOUNDS.maxLimitCount),
        per: duration(RULE_BOUNDS.minLimitPer, RULE_BOUNDS.maxLimitPer),
      })
      .describe('At most `count` events score per window of `per` (windows aligned to the epoch, UTC)')
      .optional(),
    max: z
      .number()
      .positive()
      .max(RULE_BOUNDS.maxScore)
      .describe("Cap on the size of this rule's decayed contribution")
      .optional(),
  })
  .superRefine((rule, ctx) => {
    const allowed = MATCH_KEYS_BY_TYPE[rule.on];
    for (const key of Object.keys(rule.match ?? {}) as RuleMatchKey[]) {
      if (allowed.includes(key)) continue;
      const fits = EVENT_TYPES.filter((type) => MATCH_KEYS_BY_TYPE[type].includes(key));
      ctx.addIssue({
        code: 'custom',
        path: ['match', key],
        message: `"${key}" never matches ${rule.on} events (it applies to ${fits.join(', ')})`,
      });
    }
  });

const domain = z
  .string()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i, 'must be a domain like "gmail.com"');

export const mqlSettingsSchema = z
  .strictObject({
    threshold: z.number().positive().max(RULE_BOUNDS.maxScore).describe('Score at which a lead enters MQL'),
    exitThreshold: z
      .number()
      .min(0)
      .max(RULE_BOUNDS.maxScore)
      .describe('Score below which an MQL leaves MQL; defaults to threshold')
      .optional(),
    requireEmail: z.boolean().default(true).describe('Only identified leads can be MQLs'),
    excludeEmailDomains: z
      .array(domain)
      .max(RULE_BOUNDS.maxExcludedDomains)
      .default([])
      .describe('Email domains (and their subdomains) that never qualify'),
  })
  .superRefine((mql, ctx) => {
    if (mql.exitThreshold !== undefined && mql.exitThreshold > mql.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['exitThreshold'],
        message: `must not exceed threshold (${mql.threshold}), got ${mql.exitThreshold}`,
      });
    }
  });

/** A site's scoring rules as written in JSON (the form stored, edited and shown). */
export const scoringRulesSchema = z
  .strictObject({
    halfLife: duration(RULE_BOUNDS.minHalfLife, RULE_BOUNDS.maxHalfLife)
      .default('30d')
      .describe('Default half-life of points'),
    maxScore: z.number().positive().max(RULE_BOUNDS.maxScore).describe('Cap on the total score').optional(),
    mql: mqlSettingsSchema,
    rules: z.array(scoringRuleSchema).max(RULE_BOUNDS.maxRules),
  })
  .superRefine((input, ctx) => {
    const firstIndex = new Map<string, number>();
    input.rules.forEach((rule, index) => {
      const first = firstIndex.get(rule.id);
      if (first === undefined) firstIndex.set(rule.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['rules', index, 'id'],
          message: `duplicate rule id "${rule.id}" (already used by rules.${first})`,
        });
    });
    checkMatchBudget(input.rules, ctx);
    if (input.maxScore !== undefined && input.maxScore < input.mql.threshold) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxScore'],
        message: `must be at least mql.threshold (${input.mql.threshold}) or no lead could ever qualify`,
      });
    }
  });

/**
 * Refuses rule sets whose rules of one event type could look at more than MATCH_BUDGET characters
 * of one event, naming the rules that cost the most so the marketer knows what to simplify.
 */
function checkMatchBudget(rules: readonly ScoringRuleSource[], ctx: z.RefinementCtx): void {
  for (const type of EVENT_TYPES) {
    const costs = rules
      .map((rule, index) => ({ index, rule, cost: rule.on === type ? ruleMatchCost(rule.match) : 0 }))
      .filter((entry) => entry.cost > 0);
    const total = costs.reduce((sum, entry) => sum + entry.cost, 0);
    if (total <= MATCH_BUDGET) continue;
    const costliest = costs
      .sort((a, b) => b.cost - a.cost)
      .slice(0, 3)
      .map((entry) => `rules.${entry.index} (${entry.cost.toLocaleString('en')})`);
    ctx.addIssue({
      code: 'custom',
      path: ['rules'],
      message:
        `the ${type} rules may look at ${total.toLocaleString('en')} characters of each event, more than ` +
        `${MATCH_BUDGET.toLocaleString('en')}: a glob with * between literal parts searches the whole value ` +
        `(URLs up to ${LIMITS.maxUrlLength} characters, ${LIMITS.maxTagsPerEvent} tags) while one that only ` +
        `starts or ends with * compares its ends; costliest: ${costliest.join(', ')}`,
    });
  }
}

/** Rules as written (durations as text, defaults optional). */
export type ScoringRulesInput = z.input<typeof scoringRulesSchema>;
/** Rules as validated, with defaults filled in; still JSON. */
export type ScoringRulesSource = z.output<typeof scoringRulesSchema>;
export type ScoringRuleSource = z.output<typeof scoringRuleSchema>;
export type RuleMatchSource = z.output<typeof ruleMatchSchema>;
