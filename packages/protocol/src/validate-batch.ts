import type { z } from 'zod';
import type { RejectedEvent } from './answers.ts';
import { type Envelope, envelopeSchema } from './envelope-schema.ts';
import { eventSchema, type WireEvent } from './event-schemas.ts';

export type ValidEvent = { index: number; event: WireEvent };

export type BatchValidation =
  | { ok: true; envelope: Omit<Envelope, 'events'>; events: ValidEvent[]; rejected: RejectedEvent[] }
  | { ok: false; message: string };

/** Turns a zod error into one sentence naming the path of each problem, e.g. `events.2.ts: Invalid ISO datetime`. */
export function describeIssues(error: z.ZodError, prefix: (string | number)[] = []): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [...prefix, ...issue.path].map(String).join('.');
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Validates a parsed body: the envelope as a whole, then each event on its own. A bad envelope
 * refuses the batch; a bad event is listed in `rejected` and the others go on.
 */
export function validateBatch(body: unknown): BatchValidation {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, message: describeIssues(envelope.error) };
  const { events: rawEvents, ...rest } = envelope.data;
  const events: ValidEvent[] = [];
  const rejected: RejectedEvent[] = [];
  const seen = new Set<string>();
  rawEvents.forEach((raw, index) => {
    const parsed = eventSchema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({
        index,
        code: 'invalid_event',
        message: describeIssues(parsed.error, ['events', index]),
      });
    } else if (seen.has(parsed.data.id)) {
      rejected.push({
        index,
        code: 'invalid_event',
        message: `events.${index}.id: repeats an earlier event of this batch`,
      });
    } else {
      seen.add(parsed.data.id);
      events.push({ index, event: parsed.data });
    }
  });
  return { ok: true, envelope: rest, events, rejected };
}
