import type { EventType } from '@leadbeam/protocol';
import type { ScorableEvent } from '@leadbeam/scoring';

/** An event row as scoring reads it back (from the write path or the events table). */
export type StoredEventFields = {
  type: string;
  tsMs: number;
  url: string | null;
  path: string | null;
  data: Record<string, unknown>;
};

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** What scoring needs of a stored event: the page, and the type's own fields kept in `data`. */
export function toScorable(row: StoredEventFields): ScorableEvent {
  const d = row.data;
  const tags = Array.isArray(d.tags) ? (d.tags as string[]) : undefined;
  const utm = d.utm && typeof d.utm === 'object' ? (d.utm as ScorableEvent['utm']) : undefined;
  return {
    type: row.type as EventType,
    ts: row.tsMs,
    url: row.url ?? undefined,
    path: row.path ?? undefined,
    tags,
    form: text(d.form),
    step: typeof d.step === 'number' ? d.step : undefined,
    stepName: text(d.stepName),
    conversion: text(d.conversion),
    name: text(d.name),
    href: text(d.href),
    utm,
  };
}
