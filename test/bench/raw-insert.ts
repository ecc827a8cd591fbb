/**
 * Ceiling (a), the database's limit here: the same event rows inserted with the collector's own
 * multi-row statement (`insertEvents`, one jsonb parameter per statement) through the same
 * driver, with no HTTP, no stitching and no scoring. The rows are deleted afterwards.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../../collector/src/db/database.ts';
import { type EventRow, insertEvents } from '../../collector/src/ingest/write-sql.ts';
import { buildBatch, deviceOf } from './batches.ts';

export const RAW_SITE = 'bench-raw-ceiling';

export async function measureRawInsert(
  database: Database,
  options: {
    run: string;
    step: number;
    devices: number;
    batchesPerStatement: number;
    concurrency: number;
    durationMs: number;
  },
): Promise<{
  events: number;
  seconds: number;
  eventsPerSecond: number;
  rowsPerStatement: number;
  concurrency: number;
}> {
  let seq = 0;
  let events = 0;
  const rowsOf = (count: number): EventRow[] => {
    const rows: EventRow[] = [];
    const receivedAt = new Date().toISOString();
    for (let n = 0; n < count; n++) {
      const current = seq++;
      const batch = buildBatch({
        run: options.run,
        step: options.step,
        seq: current,
        devices: options.devices,
        siteKey: 'pk_raw',
      });
      for (const event of batch.events) {
        const { id, type, ts, url, ...data } = event as typeof event & { url?: string };
        rows.push({
          site_id: RAW_SITE,
          id,
          lead_id: `raw-lead-${deviceOf(current, options.devices)}`,
          anonymous_id: batch.anonymousId,
          session_id: batch.sessionId,
          type,
          ts,
          received_at: receivedAt,
          url: url ?? null,
          path: url ? new URL(url).pathname : null,
          data,
        });
      }
    }
    return rows;
  };
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const rows = rowsOf(options.batchesPerStatement);
      await database.db.execute(insertEvents(rows));
      events += rows.length;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await database.db.execute(sql`delete from events where site_id = ${RAW_SITE}`);
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    rowsPerStatement: options.batchesPerStatement * 10,
    concurrency: options.concurrency,
  };
}
