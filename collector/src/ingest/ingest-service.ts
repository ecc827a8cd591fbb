import { inArray } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { isRetryableWriteError } from '../db/db-errors.ts';
import { sites } from '../db/schema.ts';
import { createGroupCommitter, type GroupCommitter } from './group-commit.ts';
import type { PreparedBatch } from './prepare-batch.ts';
import { type BatchResult, writeBatches } from './write-batches.ts';

export type IngestService = GroupCommitter<PreparedBatch, BatchResult>;

export type IngestOptions = { maxQueue?: number; maxGroup?: number; concurrency?: number };

/** The write path behind `/v1/collect`: group commit around one transaction per group of requests. */
export function createIngestService(database: Database, options: IngestOptions = {}): IngestService {
  return createGroupCommitter<PreparedBatch, BatchResult>({
    maxQueue: options.maxQueue ?? 2048,
    maxGroup: options.maxGroup ?? 64,
    concurrency: options.concurrency ?? (database.kind === 'pglite' ? 1 : 3),
    isRetryable: isRetryableWriteError,
    write: (batches) =>
      database.db.transaction(async (tx) => {
        const siteIds = [...new Set(batches.map((b) => b.siteId))];
        const versions = new Map(
          (
            await tx
              .select({ id: sites.id, version: sites.rulesVersion })
              .from(sites)
              .where(inArray(sites.id, siteIds))
          ).map((row) => [row.id, row.version]),
        );
        const now = new Date(Math.max(...batches.map((b) => b.receivedAt.getTime())));
        return writeBatches(tx, batches, (siteId) => versions.get(siteId) ?? 1, now);
      }),
  });
}
