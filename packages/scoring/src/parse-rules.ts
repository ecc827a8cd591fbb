import { EVENT_TYPES, type EventType } from '@leadbeam/protocol';
import { parseDuration } from './duration.ts';
import { compileGlob, type Glob } from './glob.ts';
import {
  type RuleMatchSource,
  type ScoringRuleSource,
  type ScoringRulesSource,
  scoringRulesSchema,
} from './rules-schema.ts';

/** Match criteria with globs compiled once; null means "not constrained". */
export type CompiledMatch = {
  path: Glob | null;
  url: Glob | null;
  tags: readonly Glob[] | null;
  form: Glob | null;
  step: number | null;
  stepName: Glob | null;
  conversion: Glob | null;
  name: Glob | null;
  extensions: readonly string[] | null;
  utmSource: Glob | null;
  utmMedium: Glob | null;
  utmCampaign: Glob | null;
};

/** One rule, ready to score: durations in ms, globs as RegExps. */
export type ScoringRule = {
  id: string;
  on: EventType;
  points: number;
  halfLifeMs: number;
  limit: { count: number; perMs: number } | null;
  /** Cap on the size of the rule's decayed contribution, applied at read time. */
  max: number | null;
  match: CompiledMatch;
};

export type MqlSettings = {
  threshold: number;
  exitThreshold: number;
  requireEmail: boolean;
  /** Lower-case domains; subdomains are excluded too. */
  excludeEmailDomains: readonly string[];
};

/** A validated, compiled rule set. Not JSON: store `source` (or the original input) instead. */
export type ScoringRules = {
  /** The rules as validated, defaults filled in: what to store and show. */
  source: ScoringRulesSource;
  halfLifeMs: number;
  maxScore: number | null;
  mql: MqlSettings;
  rules: readonly ScoringRule[];
  /** The rules of each event type, in rule order, so an event only meets the rules that can match it. */
  rulesByType: Readonly<Record<EventType, readonly ScoringRule[]>>;
};

export type RulesIssue = { path: string; message: string };

export type ParseRulesResult = { ok: true; rules: ScoringRules } | { ok: false; issues: RulesIssue[] };

/** Validates and compiles a rule set from JSON. Never throws; issues name paths like `rules.2.halfLife`. */
export function parseScoringRules(input: unknown): ParseRulesResult {
  const parsed = scoringRulesSchema.safeParse(input);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    };
  }
  try {
    return { ok: true, rules: compileRules(parsed.data) };
  } catch (error) {
    return { ok: false, issues: [{ path: '', message: `cannot compile the rules: ${String(error)}` }] };
  }
}

function compileRules(source: ScoringRulesSource): ScoringRules {
  const halfLifeMs = parseDuration(source.halfLife) as number;
  const rules = source.rules.map((rule) => compileRule(rule, halfLifeMs));
  const rulesByType = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, rules.filter((rule) => rule.on === type)]),
  ) as Record<EventType, ScoringRule[]>;
  return {
    source,
    halfLifeMs,
    maxScore: source.maxScore ?? null,
    mql: {
      threshold: source.mql.threshold,
      exitThreshold: source.mql.exitThreshold ?? source.mql.threshold,
      requireEmail: source.mql.requireEmail,
      excludeEmailDomains: source.mql.excludeEmailDomains.map((domain) => domain.toLowerCase()),
    },
    rules,
    rulesByType,
  };
}

function compileRule(rule: ScoringRuleSource, defaultHalfLifeMs: number): ScoringRule {
  return {
    id: rule.id,
    on: rule.on,
    points: rule.points,
    halfLifeMs: rule.halfLife === undefined ? defaultHalfLifeMs : (parseDuration(rule.halfLife) as number),
    limit: rule.limit ? { count: rule.limit.count, perMs: parseDuration(rule.limit.per) as number } : null,
    max: rule.max ?? null,
    match: compileMatch(rule.match ?? {}),
  };
}

const globOrNull = (pattern: string | undefined) => (pattern === undefined ? null : compileGlob(pattern));
const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function compileMatch(match: RuleMatchSource): CompiledMatch {
  const step = match.step;
  return {
    path: globOrNull(match.path),
    url: globOrNull(match.url),
    tags: match.tag === undefined ? null : asList(match.tag).map(compileGlob),
    form: globOrNull(match.form),
    step: typeof step === 'number' ? step : null,
    stepName: typeof step === 'string' ? compileGlob(step) : null,
    conversion: globOrNull(match.conversion),
    name: globOrNull(match.name),
    extensions:
      match.extension === undefined
        ? null
        : asList(match.extension).map((extension) => extension.replace(/^\./, '').toLowerCase()),
    utmSource: globOrNull(match.utm?.source),
    utmMedium: globOrNull(match.utm?.medium),
    utmCampaign: globOrNull(match.utm?.campaign),
  };
}
