/** One queued call: `['track', name, props]`, or the `arguments` of a function-style snippet. */
export type QueuedCall = ArrayLike<unknown>;

/**
 * The calls a page queued before the SDK loaded: `window.leadbeam` as an array of calls, or a
 * function stub that collected its `arguments` in `.q`.
 */
export function readQueue(stub: unknown): QueuedCall[] {
  return Array.isArray(stub) ? stub : ((stub as { q?: QueuedCall[] } | undefined)?.q ?? []);
}

/** Runs `['method', ...args]` on the API; unknown methods are ignored. */
export function callApi(api: object, call: QueuedCall): void {
  const [method, ...args] = Array.from(call);
  (api as Record<string, (...a: unknown[]) => void>)[method as string]?.(...args);
}
