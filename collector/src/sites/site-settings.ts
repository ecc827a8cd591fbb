import { z } from 'zod';

/**
 * What marketers tune on the collector without a deploy: URL rules that tag pages or mark
 * thank-you pages, and which identify traits are kept.
 */
export const urlRuleSchema = z
  .object({
    /** A path glob (`/pricing*`) or a full URL glob (`https://acme.test/thanks*`). */
    match: z.string().min(1).max(512),
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
  urlRules: z.array(urlRuleSchema).max(200).default([]),
  /** Identify traits kept on the lead; the others are dropped. Omitted: all traits are kept. */
  traits: z.array(z.string().min(1).max(128)).max(100).optional(),
});

export type SiteSettings = z.infer<typeof siteSettingsSchema>;
export type UrlRule = z.infer<typeof urlRuleSchema>;
