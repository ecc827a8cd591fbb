import { type Database, writeTransaction } from '../db/database.ts';
import { isRetryableWriteError } from '../db/db-errors.ts';
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
    // Four transactions in flight hide the round trips of each on a small machine (measured in
    // BENCHMARKS.md against three); PGlite runs one statement at a time anyway.
    concurrency: database.kind === 'pglite' ? 1 : (options.concurrency ?? 4),
    isRetryable: isRetryableWriteError,
    write: (batches) =>
      writeTransaction(database, (tx, commit) => {
        const now = new Date(Math.max(...batches.map((b) => b.receivedAt.getTime())));
        return writeBatches(tx, commit, batches, now);
      }),
  });
}
