import { SCRIPT_TAG } from '../build-flags.ts';
import type { Listen } from '../events.ts';

/** The content of `<meta name="…">`, or undefined. */
export const readMeta = (name: string): string | undefined =>
  document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content;

/**
 * The part of a URL that makes it another page: everything but the fragment. Hash-only changes
 * (anchors, tabs) and `replaceState` to the same address are not new page views.
 */
export const pageKey = (url: string): string => url.split('#')[0] as string;

/**
 * Calls `onChange` after every history navigation of a single-page app: `pushState`,
 * `replaceState` (patched, the originals still run first) and back/forward (`popstate`).
 */
export const watchHistory = (
  listen: Listen,
  onChange: () => void,
  onStop: (stop: () => void) => void,
): void => {
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      onChange();
    };
    if (!SCRIPT_TAG)
      onStop(() => {
        history[method] = original;
      });
  }
  listen('popstate', onChange, window);
};
