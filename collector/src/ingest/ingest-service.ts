import { type Database, writeTransaction } from '../db/database.ts';
import { isRetryableWriteError, isUnavailableError } from '../db/db-errors.ts';
import { createGroupCommitter, type GroupCommitter } from './group-commit.ts';
import type { PreparedBatch } from './prepare-batch.ts';
import { type BatchResult, writeBatches } from './write-batches.ts';

export type IngestService = GroupCommitter<PreparedBatch, BatchResult>;

export type IngestOptions = {
  maxQueue?: number;
  maxGroup?: number;
  concurrency?: number;
  extraWriterBacklog?: number;
};

/** The write path behind `/v1/collect`: group commit around one transaction per group of requests. */
export function createIngestService(database: Database, options: IngestOptions = {}): IngestService {
  return createGroupCommitter<PreparedBatch, BatchResult>({
    maxQueue: options.maxQueue ?? 2048,
    maxGroup: options.maxGroup ?? 64,
    // Two transactions in flight on PostgreSQL: on 2 cores, with a group now two round trips,
    // more writers split the queue into smaller groups and lengthen the tail (paced 9,000
    // events/s, p99: 1 writer 109 ms, 2: 118, 3: 222, 4: 578; peak 8,418 / 10,665 / 9,919 /
    // ~11,000 events/s; BENCHMARKS.md). PGlite runs one statement at a time anyway.
    concurrency: database.kind === 'pglite' ? 1 : (options.concurrency ?? 2),
    // The second writer starts only on a backlog of 8 requests (or a request waiting 25 ms).
    // Started at once, it split a paced 8,000 events/s into groups of 2–3 batches, and each
    // transaction costs its planning and round trips whatever its size: PostgreSQL spent 85–99
    // µs of CPU an event, against 75 µs with groups of 3.6–4.1 (quiet probe runs, taken with a
    // pipelined transaction since reverted; BENCHMARKS.md).
    extraWriterBacklog: options.extraWriterBacklog ?? 8,
    isRetryable: isRetryableWriteError,
    // The database is away: the whole group fails at once (503), rather than being written again
    // one request at a time, each waiting out its own reconnection.
    isSharedFailure: isUnavailableError,
    write: (batches) =>
      writeTransaction(database, (tx, commit) => {
        const now = new Date(Math.max(...batches.map((b) => b.receivedAt.getTime())));
        return writeBatches(tx, commit, batches, now);
      }),
  });
}
