/**
 * Group commit: requests that arrive while a transaction is in flight share the next one, and
 * each answers only after that commit. Bounded: past `maxQueue` waiting requests, `submit`
 * refuses at once (the route answers 503 with Retry-After) instead of growing without limit.
 */
export class QueueFullError extends Error {
  constructor() {
    super('the write queue is full');
  }
}

export type GroupCommitOptions<T, R> = {
  /** Writes a group in one transaction; answers one result per item, in order. */
  write: (items: T[]) => Promise<R[]>;
  /** Decides whether a failed group is worth writing again (deadlocks, unique races). */
  isRetryable?: (error: unknown) => boolean;
  /**
   * Decides whether a failure concerns every request alike (the database is down): then the group
   * fails together. Otherwise a failed group is written again one request at a time, so one
   * request that cannot be stored never costs the others theirs.
   */
  isSharedFailure?: (error: unknown) => boolean;
  maxGroup?: number;
  maxQueue?: number;
  /** Transactions in flight at most (1 for PGlite; a few for a PostgreSQL pool). */
  concurrency?: number;
  /**
   * Requests that must be waiting before a transaction starts beside one already in flight. Below
   * it they wait for that one to finish and share the next: every transaction costs the same
   * planning and round trips whatever its size, so a second writer only pays when there is a
   * backlog to split.
   */
  extraWriterBacklog?: number;
  /**
   * How long a request may wait for a writer in flight before another starts for it anyway
   * (within `concurrency`), so a slow or blocked transaction never holds a short queue.
   */
  maxWaitMs?: number;
};

export type GroupCommitter<T, R> = {
  submit(item: T): Promise<R>;
  /** Waiting plus in-flight items. */
  size(): number;
  /** True when `submit` would refuse now: callers can refuse before doing any work. */
  isFull(): boolean;
  /** Resolves when nothing is waiting or in flight. */
  drain(): Promise<void>;
};

type Waiting<T, R> = {
  item: T;
  since: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
};

export function createGroupCommitter<T, R>(options: GroupCommitOptions<T, R>): GroupCommitter<T, R> {
  const {
    write,
    isRetryable = () => false,
    isSharedFailure = () => false,
    maxGroup = 128,
    maxQueue = 4096,
    concurrency = 1,
    extraWriterBacklog = 1,
    maxWaitMs = 25,
  } = options;
  const queue: Waiting<T, R>[] = [];
  let running = 0;
  let inFlight = 0;
  let idle: (() => void)[] = [];

  async function writeWithRetry(group: Waiting<T, R>[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const results = await write(group.map((w) => w.item));
        group.forEach((w, i) => {
          w.resolve(results[i] as R);
        });
        return;
      } catch (error) {
        if (isRetryable(error) && attempt < 4) continue;
        if (group.length > 1 && !isSharedFailure(error)) {
          // A group that keeps colliding, or holds a request that cannot be stored, is written
          // one request at a time.
          for (const waiting of group) await writeWithRetry([waiting]);
          return;
        }
        for (const waiting of group) waiting.reject(error);
        return;
      }
    }
  }

  /** How long the oldest waiting request has waited, ms. */
  const oldestWait = () => performance.now() - (queue[0]?.since ?? 0);

  /** Whether one more writer should take a group now: the first always, others on a backlog or a long wait. */
  const wantsWriter = (writers: number) =>
    queue.length > 0 &&
    (writers === 0 ||
      (writers < concurrency && (queue.length >= extraWriterBacklog || oldestWait() >= maxWaitMs)));

  // One timer at a time watches the oldest waiting request while writers are busy.
  let waitTimer: NodeJS.Timeout | null = null;
  function watchWaiting(): void {
    if (waitTimer || queue.length === 0 || running === 0 || running >= concurrency) return;
    const due = Math.max(0, maxWaitMs - oldestWait());
    waitTimer = setTimeout(() => {
      waitTimer = null;
      if (wantsWriter(running)) void pump();
      else watchWaiting();
    }, due);
    waitTimer.unref();
  }

  async function pump(): Promise<void> {
    running++;
    try {
      // The writer itself is counted in `running`: it goes on alone, or beside others on a backlog
      // or a long wait.
      while (wantsWriter(running - 1)) {
        const group = queue.splice(0, maxGroup);
        inFlight += group.length;
        await writeWithRetry(group);
        inFlight -= group.length;
      }
    } finally {
      running--;
      watchWaiting();
      if (running === 0 && queue.length === 0) {
        for (const resolve of idle) resolve();
        idle = [];
      }
    }
  }

  return {
    submit(item) {
      if (queue.length >= maxQueue) return Promise.reject(new QueueFullError());
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, since: performance.now(), resolve, reject });
        // Start a writer on the next tick, so requests arriving together share its transaction.
        if (wantsWriter(running)) setImmediate(() => wantsWriter(running) && void pump());
        else watchWaiting();
      });
    },
    size: () => queue.length + inFlight,
    isFull: () => queue.length >= maxQueue,
    drain: () =>
      running === 0 && queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => idle.push(resolve)),
  };
}
