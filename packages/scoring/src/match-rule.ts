import type { Glob } from './glob.ts';
import type { ScoringRule } from './parse-rules.ts';
import { extensionOfUrl, pathOfUrl, type ScorableEvent } from './scorable-event.ts';

const test = (pattern: Glob, value: string | undefined) => value !== undefined && pattern.test(value);

/**
 * True when the event is of the rule's type and meets every criterion of its match. A criterion on a
 * field the event lacks (no UTM, no tags) does not match.
 */
export function matchRule(rule: ScoringRule, event: ScorableEvent): boolean {
  if (event.type !== rule.on) return false;
  const match = rule.match;
  if (
    match.path &&
    !test(match.path, event.path ?? (event.url === undefined ? undefined : pathOfUrl(event.url)))
  )
    return false;
  if (match.url && !test(match.url, event.url) && !test(match.url, event.href)) return false;
  if (match.tags && !matchesAnyTag(match.tags, event.tags)) return false;
  if (match.form && !test(match.form, event.form)) return false;
  if (match.step !== null && event.step !== match.step) return false;
  if (match.stepName && !test(match.stepName, event.stepName)) return false;
  if (match.conversion && !test(match.conversion, event.conversion)) return false;
  if (match.name && !test(match.name, event.name)) return false;
  if (match.extensions) {
    const extension = event.extension ?? (event.href === undefined ? undefined : extensionOfUrl(event.href));
    if (extension === undefined || !match.extensions.includes(extension)) return false;
  }
  if (match.utmSource && !test(match.utmSource, event.utm?.source)) return false;
  if (match.utmMedium && !test(match.utmMedium, event.utm?.medium)) return false;
  if (match.utmCampaign && !test(match.utmCampaign, event.utm?.campaign)) return false;
  return true;
}

function matchesAnyTag(patterns: readonly Glob[], tags: readonly string[] | undefined): boolean {
  if (!tags) return false;
  for (const tag of tags) for (const pattern of patterns) if (pattern.test(tag)) return true;
  return false;
}
