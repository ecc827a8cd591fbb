import { z } from '@hono/zod-openapi';
import { normalizeEmail } from '@leadbeam/protocol';
import { isId } from './id-format.ts';

export const LEAD_HINT = "must be the lead's id (a uuid) or its email address";

/** The id (lower-cased) or the email (normalized as stored) a path names; null when it is neither. */
export function leadRefOf(value: string): string | null {
  const id = value.toLowerCase();
  if (isId(id)) return id;
  return normalizeEmail(value);
}

/** `{lead}` of `/v1/leads/{lead}…`: refused with 400 unless it is an id or an email, so SQL only sees those. */
export const leadParam = z.object({
  lead: z
    .string()
    .max(320, { message: LEAD_HINT, abort: true })
    .refine((value) => leadRefOf(value) !== null, LEAD_HINT)
    .overwrite((value) => leadRefOf(value) ?? value)
    .openapi({
      param: { name: 'lead', in: 'path' },
      description: "The lead's id, or its email (an id merged into another lead resolves to it)",
      example: 'jane@acme.test',
    }),
});
