/**
 * A compiled glob: `*` stands for any run of characters (slashes included), every other character
 * is literal, and matching ignores case. `/pricing*` matches `/pricing`, `/pricing/` and
 * `/Pricing/enterprise`, not `/about/pricing`.
 *
 * Globs come from site owners, so they are never turned into regular expressions: a backtracking
 * engine takes exponential time on `*a*a*a*…b`. Matching here is a prefix check, a suffix check
 * and a left-most search for each middle part (KMP, no backtracking), which is correct for
 * `*`-only globs and takes time linear in the value's and the glob's lengths.
 */
export type Glob = {
  readonly pattern: string;
  test(value: string): boolean;
};

/** How long and how starry a glob may be; the rules schema and the URL-rule schema enforce both. */
export const GLOB_LIMITS = { maxLength: 512, maxWildcards: 16 } as const;

/** The problem with a glob that exceeds GLOB_LIMITS, or null. */
export function checkGlob(pattern: string): string | null {
  if (pattern.length > GLOB_LIMITS.maxLength) {
    return `must be at most ${GLOB_LIMITS.maxLength} characters, got ${pattern.length}`;
  }
  const wildcards = countWildcards(pattern);
  if (wildcards > GLOB_LIMITS.maxWildcards) {
    return `must have at most ${GLOB_LIMITS.maxWildcards} wildcards (runs of *), got ${wildcards}: each one costs every event it is tried on a search`;
  }
  return null;
}

/** Runs of `*` count once: `**` means what `*` means. */
function countWildcards(pattern: string): number {
  let count = 0;
  for (let at = 0; at < pattern.length; at++) {
    if (pattern[at] === '*' && pattern[at - 1] !== '*') count++;
  }
  return count;
}

export function compileGlob(pattern: string): Glob {
  const { head, middles, tail } = splitGlob(pattern);
  if (middles === null) return { pattern, test: (value) => value.toLowerCase() === head };
  const searches = middles.map(compileSearch);
  const minLength = head.length + tail.length + middles.reduce((sum, middle) => sum + middle.length, 0);
  return {
    pattern,
    test(value) {
      if (value.length < minLength) return false;
      if (searches.length === 0) return startsWith(value, head) && endsWith(value, tail);
      const text = value.toLowerCase();
      if (!text.startsWith(head) || !text.endsWith(tail)) return false;
      const end = text.length - tail.length;
      let from = head.length;
      for (const search of searches) {
        const found = search.find(text, from, end);
        if (found === -1) return false;
        from = found + search.length;
      }
      return from <= end;
    },
  };
}

/**
 * How many characters matching the glob against one value of at most `maxValueLength` may look
 * at: the literal ends only, unless a literal part sits between two wildcards and must be searched
 * for through the whole value.
 */
export function globCost(pattern: string, maxValueLength: number): number {
  const { head, middles, tail } = splitGlob(pattern);
  const ends = Math.min(head.length + tail.length, maxValueLength);
  return middles === null || middles.length === 0 ? Math.max(1, ends) : maxValueLength + pattern.length;
}

/** The literal text before the first `*`, between them (empty runs dropped) and after the last; `middles` null without `*`. */
function splitGlob(pattern: string): { head: string; middles: string[] | null; tail: string } {
  const parts = pattern.toLowerCase().split('*');
  const head = parts[0] as string;
  if (parts.length === 1) return { head, middles: null, tail: '' };
  const tail = parts[parts.length - 1] as string;
  return { head, middles: parts.slice(1, -1).filter((part) => part.length > 0), tail };
}

// Case-insensitive end checks that lower only the compared ends, not the whole value.
const startsWith = (value: string, head: string) =>
  head.length === 0 || value.slice(0, head.length).toLowerCase() === head;
const endsWith = (value: string, tail: string) =>
  tail.length === 0 || value.slice(value.length - tail.length).toLowerCase() === tail;

type Search = { length: number; find(text: string, from: number, end: number): number };

/**
 * Knuth–Morris–Pratt search for one literal part: where it first lies wholly inside
 * `text[from, end)`, or -1. Each character of the text is looked at a bounded number of times.
 */
function compileSearch(needle: string): Search {
  const fallback = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fallback[k - 1] as number;
    if (needle[i] === needle[k]) k++;
    fallback[i] = k;
  }
  return {
    length: needle.length,
    find(text, from, end) {
      for (let i = from, k = 0; i < end; i++) {
        while (k > 0 && text[i] !== needle[k]) k = fallback[k - 1] as number;
        if (text[i] === needle[k]) k++;
        if (k === needle.length) return i - needle.length + 1;
      }
      return -1;
    },
  };
}
