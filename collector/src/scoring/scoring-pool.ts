import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type {
  PreviewResult,
  PreviewTask,
  ScoreHistoriesResult,
  ScoreHistoriesTask,
  ScoringTask,
} from './scoring-tasks.ts';

/**
 * Worker threads for the scoring that reads many events at once: re-scores after a rules change
 * and backtests of proposed rules. Two queues, so a backtest (long, one site's) never holds up the
 * page of a re-score, whose transaction keeps its leads locked while it waits. Threads start on
 * first use and end when idle; one process shares them across apps.
 */
export type ScoringPool = {
  score(task: Omit<ScoreHistoriesTask, 'kind'>): Promise<ScoreHistoriesResult>;
  preview(task: Omit<PreviewTask, 'kind'>, signal: AbortSignal): Promise<PreviewResult>;
  close(): Promise<void>;
};

const WORKER = new URL('./scoring-worker.mjs', import.meta.url).href;

function createQueue(threads: number) {
  return new Piscina<ScoringTask, unknown>({
    filename: WORKER,
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: 30_000,
    // A site can have one backtest running; the queue only holds other sites' work.
    maxQueue: 256,
  });
}

export function createScoringPool(threads = Math.max(1, availableParallelism() - 1)): ScoringPool {
  let rescores: Piscina<ScoringTask, unknown> | null = null;
  let previews: Piscina<ScoringTask, unknown> | null = null;
  return {
    score: async (task) => {
      rescores ??= createQueue(threads);
      return (await rescores.run({ kind: 'score', ...task })) as ScoreHistoriesResult;
    },
    preview: async (task, signal) => {
      previews ??= createQueue(threads);
      return (await previews.run({ kind: 'preview', ...task }, { signal })) as PreviewResult;
    },
    close: async () => {
      await Promise.all([rescores?.destroy(), previews?.destroy()]);
      rescores = previews = null;
    },
  };
}

let shared: ScoringPool | null = null;

/** The process's scoring threads. */
export function scoringPool(): ScoringPool {
  shared ??= createScoringPool();
  return shared;
}
