import { LIMITS } from '@leadbeam/protocol';
import { globCost, globSchema, MATCH_BUDGET } from '@leadbeam/scoring';
import { z } from 'zod';

/**
 * What marketers tune on the collector without a deploy: URL rules that tag pages or mark
 * thank-you pages, and which identify traits are kept.
 */
export const urlRuleSchema = z
  .object({
    /** A path glob (`/pricing*`) or a full URL glob (`https://acme.test/thanks*`). */
    match: globSchema,
    tags: z
      .array(z.string().regex(/^[\w:.-]{1,64}$/))
      .max(20)
      .optional(),
    /** Page views matching this rule also count as a thank-you page of this conversion. */
    thankYou: z.string().min(1).max(128).optional(),
  })
  .refine(
    (rule) => rule.tags !== undefined || rule.thankYou !== undefined,
    'a URL rule needs tags or thankYou',
  );

export const siteSettingsSchema = z.object({
  urlRules: z
    .array(urlRuleSchema)
    .max(200)
    .default([])
    .superRefine((rules, ctx) => {
      // Every page view is tried on every URL rule on the request path: bound the worst case as
      // the scoring rules are bounded.
      const cost = rules.reduce((sum, rule) => sum + globCost(rule.match, LIMITS.maxUrlLength), 0);
      if (cost > MATCH_BUDGET) {
        ctx.addIssue({
          code: 'custom',
          message: `the URL rules may look at ${cost.toLocaleString('en')} characters of each page view, more than ${MATCH_BUDGET.toLocaleString('en')}: a glob with * between literal parts searches the whole URL; use fewer such rules or anchor them ("/pricing*")`,
        });
      }
    }),
  /** Identify traits kept on the lead; the others are dropped. Omitted: all traits are kept. */
  traits: z.array(z.string().min(1).max(128)).max(100).optional(),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;
export type UrlRule = z.infer<typeof urlRuleSchema>;
