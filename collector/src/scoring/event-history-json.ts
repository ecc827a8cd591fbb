import type { ScorableEvent } from '@leadbeam/scoring';
import { type StoredEventFields, toScorable } from './stored-event.ts';

/** One event as `selectRangeHistories` aggregates it. */
type EventTuple = [type: string, tsMs: number, url: string | null, path: string | null, data: unknown];

/** A lead's events from their JSON text (`selectRangeHistories`), as scoring reads them (`toScorable`). */
export function scorableHistory(json: string): ScorableEvent[] {
  const tuples = JSON.parse(json) as EventTuple[];
  // One row object refilled per event: `toScorable` copies what it needs and keeps no reference to it.
  const row: StoredEventFields = { type: '', tsMs: 0, url: null, path: null, data: {} };
  return tuples.map(([type, tsMs, url, path, data]) => {
    row.type = type;
    row.tsMs = tsMs;
    row.url = url;
    row.path = path;
    row.data = (data ?? {}) as Record<string, unknown>;
    return toScorable(row);
  });
}
