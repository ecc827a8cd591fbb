/** One queued call: `['track', name, props]`, or the `arguments` of a function-style snippet. */
export type QueuedCall = ArrayLike<unknown>;

/**
 * The calls a page queued before the SDK loaded: `window.leadbeam` as an array of calls, or a
 * function stub that collected its `arguments` in `.q`.
 */
export const readQueue = (stub: unknown): QueuedCall[] =>
  Array.isArray(stub) ? stub : ((stub as { q?: QueuedCall[] } | undefined)?.q ?? []);
