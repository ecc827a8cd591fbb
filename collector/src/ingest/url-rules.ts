import { compileGlob } from '@leadbeam/scoring';
import type { UrlRule } from '../sites/site-settings.ts';

export type CompiledUrlRule = { test: (url: URL) => boolean; tags: string[]; thankYou: string | undefined };

/** Compiles a site's URL rules once; a rule starting with `/` matches the path, otherwise the whole URL. */
export function compileUrlRules(rules: UrlRule[]): CompiledUrlRule[] {
  return rules.map((rule) => {
    const glob = compileGlob(rule.match);
    const byPath = rule.match.startsWith('/');
    return {
      test: (url) => glob.test(byPath ? url.pathname : url.href),
      tags: rule.tags ?? [],
      thankYou: rule.thankYou,
    };
  });
}

/** The tags and the thank-you conversion URL rules give to a page. */
export function applyUrlRules(
  rules: CompiledUrlRule[],
  url: URL,
): { tags: string[]; thankYou: string | undefined } {
  const tags: string[] = [];
  let thankYou: string | undefined;
  for (const rule of rules) {
    if (!rule.test(url)) continue;
    tags.push(...rule.tags);
    thankYou ??= rule.thankYou;
  }
  return { tags, thankYou };
}
