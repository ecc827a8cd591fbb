import { z } from 'zod';
import { cleanText, cleanToken } from './clean-text.ts';
import { checkEmail } from './email-address.ts';
import { isValidClientId } from './identifiers.ts';
import { LIMITS } from './limits.ts';

/*
 * Every string that is stored goes through `cleanText` or `cleanToken`, here and in the envelope's
 * context: this is the edge. Lengths are checked before cleaning (it only shortens), the rest after.
 */

/** Free text (titles, trait and prop values): line breaks become spaces, other controls go. */
export const freeText = (max: number) => z.string().max(max).transform(cleanText);
/** A name (event, form, step, record key): free text that keeps at least one character. */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .transform(cleanText)
    .pipe(z.string().min(1, 'must hold more than control characters'));
const isHttpUrl = (value: string) => URL.canParse(value) && /^https?:/i.test(value);
const cleanUrl = z.string().max(LIMITS.maxUrlLength).transform(cleanToken);
const absoluteUrl = cleanUrl.refine(isHttpUrl, 'must be an absolute http(s) URL');
const timestamp = z.iso.datetime({ offset: true });
const tag = z
  .string()
  .min(1)
  .max(LIMITS.maxTagLength)
  .transform(cleanToken)
  .pipe(z.string().regex(/^[\w:.-]+$/, 'tags are letters, digits, _ : . and -'));
const tags = z.array(tag).max(LIMITS.maxTagsPerEvent);
const scalar = z.union([freeText(LIMITS.maxPropValueLength), z.number().finite(), z.boolean(), z.null()]);

export const clientIdSchema = z
  .string()
  .refine(
    isValidClientId,
    `must be ${LIMITS.minIdLength}-${LIMITS.maxIdLength} of [A-Za-z0-9._:-], not a placeholder`,
  );

/** An email, normalized by `checkEmail`; a refusal names its reason (invisible characters, mixed scripts). */
export const emailSchema = z
  .string()
  .max(LIMITS.maxEmailLength)
  .transform((value, ctx) => {
    const checked = checkEmail(value);
    if (checked.ok) return checked.email;
    ctx.addIssue({ code: 'custom', message: checked.message, input: value });
    return z.NEVER;
  });

/** The SDK's event id: a real uuid (not the nil or max placeholder), compared in lower case. */
const eventId = z
  .uuid()
  .refine(
    (id) => !/^(0{8}-0{4}-0{4}-0{4}-0{12}|f{8}-f{4}-f{4}-f{4}-f{12})$/i.test(id),
    'must not be a placeholder uuid',
  )
  .transform((id) => id.toLowerCase());
const base = { id: eventId, ts: timestamp };
const onPage = { ...base, url: absoluteUrl };

export const pageViewSchema = z.object({
  ...onPage,
  type: z.literal('page_view'),
  title: freeText(LIMITS.maxTitleLength).optional(),
  referrer: cleanUrl
    .refine((value) => value === '' || isHttpUrl(value), 'must be an absolute http(s) URL or empty')
    .optional(),
  tags: tags.optional(),
});

export const downloadSchema = z.object({
  ...onPage,
  type: z.literal('download'),
  href: absoluteUrl,
  tags: tags.optional(),
});

const formName = text(LIMITS.maxNameLength);
const stepNumber = z.number().int().min(1).max(LIMITS.maxFormSteps);

export const formStepSchema = z
  .object({
    ...onPage,
    type: z.literal('form_step'),
    form: formName,
    step: stepNumber,
    stepName: text(LIMITS.maxNameLength).optional(),
    steps: stepNumber.optional(),
  })
  .refine((event) => event.steps === undefined || event.step <= event.steps, {
    message: 'step must not exceed steps',
    path: ['step'],
  });

export const formSubmitSchema = z.object({ ...onPage, type: z.literal('form_submit'), form: formName });

export const thankYouSchema = z.object({
  ...onPage,
  type: z.literal('thank_you'),
  conversion: text(LIMITS.maxNameLength),
});

export const actionSchema = z.object({
  ...onPage,
  type: z.literal('action'),
  name: text(LIMITS.maxNameLength),
});

export const identifySchema = z.object({
  ...base,
  type: z.literal('identify'),
  url: absoluteUrl.optional(),
  email: emailSchema,
  traits: z
    .record(
      text(LIMITS.maxNameLength),
      z.union([freeText(LIMITS.maxTraitValueLength), z.number().finite(), z.boolean(), z.null()]),
    )
    .refine((traits) => Object.keys(traits).length <= LIMITS.maxTraits, `at most ${LIMITS.maxTraits} traits`)
    .optional(),
});

export const trackSchema = z.object({
  ...base,
  type: z.literal('track'),
  url: absoluteUrl.optional(),
  name: text(LIMITS.maxNameLength),
  props: z
    .record(text(LIMITS.maxNameLength), scalar)
    .refine((props) => Object.keys(props).length <= LIMITS.maxProps, `at most ${LIMITS.maxProps} props`)
    .optional(),
});

/** One event of protocol v1; `type` selects its shape. */
export const eventSchema = z.discriminatedUnion('type', [
  pageViewSchema,
  downloadSchema,
  formStepSchema,
  formSubmitSchema,
  thankYouSchema,
  actionSchema,
  identifySchema,
  trackSchema,
]);

export type WireEvent = z.infer<typeof eventSchema>;
export type PageViewEvent = z.infer<typeof pageViewSchema>;
export type DownloadEvent = z.infer<typeof downloadSchema>;
export type FormStepEvent = z.infer<typeof formStepSchema>;
export type FormSubmitEvent = z.infer<typeof formSubmitSchema>;
export type ThankYouEvent = z.infer<typeof thankYouSchema>;
export type ActionEvent = z.infer<typeof actionSchema>;
export type IdentifyEvent = z.infer<typeof identifySchema>;
export type TrackEvent = z.infer<typeof trackSchema>;
/** What the SDK writes (before the collector normalises the email). */
export type WireEventInput = z.input<typeof eventSchema>;
