import { z } from 'zod';
import { clientIdSchema, freeText } from './event-schemas.ts';
import { LIMITS } from './limits.ts';

const contextText = freeText(LIMITS.maxContextStringLength);

export const utmSchema = z.object({
  source: contextText.optional(),
  medium: contextText.optional(),
  campaign: contextText.optional(),
  term: contextText.optional(),
  content: contextText.optional(),
});

export const contextSchema = z.object({
  locale: contextText.optional(),
  screen: z
    .string()
    .regex(/^\d{1,5}x\d{1,5}$/, 'must look like 1440x900')
    .optional(),
  timezone: contextText.optional(),
  utm: utmSchema.optional(),
});

/**
 * The batch around the events. Events are checked one by one afterwards (see `validateBatch`),
 * so one bad event never costs the good ones.
 */
export const envelopeSchema = z.object({
  site: z.string().min(1).max(LIMITS.maxKeyLength),
  anonymousId: clientIdSchema,
  sessionId: clientIdSchema,
  sentAt: z.iso.datetime({ offset: true }),
  context: contextSchema.optional(),
  events: z.array(z.unknown()).min(1).max(LIMITS.maxEventsPerBatch),
});

export type Envelope = z.infer<typeof envelopeSchema>;
export type WireContext = z.infer<typeof contextSchema>;
export type Utm = z.infer<typeof utmSchema>;
