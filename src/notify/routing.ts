import picomatch from 'picomatch';
import { severityRank, type Severity } from '../check-api/types.js';
import type { RouteConfig, RouteMatch } from './config.js';
import { areaOf } from './events.js';

export interface RoutedRoute {
  readonly name: string;
  readonly config: RouteConfig;
}

export interface MatchSubject {
  readonly checkId: string;
  /** Absent for run problems, which have no severity or tags: those filters do not apply to them. */
  readonly finding?: { readonly severity: Severity; readonly tags: readonly string[] };
}

/** Check ids are dotted, so `*` must cross dots: `aws.*` matches `aws.s3.public-access`. */
const globOptions = { dot: true } as const;

const matcherCache = new Map<string, (value: string) => boolean>();
function globMatcher(pattern: string): (value: string) => boolean {
  let matcher = matcherCache.get(pattern);
  if (!matcher) {
    // Check ids contain no '/', so a path glob's '*' (never crossing '/') crosses dots as we want.
    matcher = picomatch(pattern, globOptions);
    matcherCache.set(pattern, matcher);
  }
  return matcher;
}

export function matchesRoute(match: RouteMatch, subject: MatchSubject): boolean {
  if (match.check && !match.check.some((pattern) => globMatcher(pattern)(subject.checkId))) return false;
  if (match.area && !match.area.includes(areaOf(subject.checkId))) return false;
  if (subject.finding) {
    if (match.severity && severityRank(subject.finding.severity) < severityRank(match.severity)) return false;
    if (match.tags && !match.tags.every((tag) => subject.finding!.tags.includes(tag))) return false;
  }
  return true;
}

export function namedRoutes(routes: readonly RouteConfig[]): RoutedRoute[] {
  return routes.map((config, index) => ({ name: config.name ?? `route-${index + 1}`, config }));
}

/** Walks the routes in order: the first match wins unless it says `continue`. */
export function selectRoutes(routes: readonly RoutedRoute[], subject: MatchSubject): RoutedRoute[] {
  const selected: RoutedRoute[] = [];
  for (const route of routes) {
    if (!matchesRoute(route.config.match, subject)) continue;
    selected.push(route);
    if (!route.config.continue) break;
  }
  return selected;
}

/** The team's runbook for a check: the most specific matching glob (longest pattern) wins. */
export function runbookFor(runbooks: Readonly<Record<string, string>>, checkId: string): string | null {
  let best: { pattern: string; url: string } | null = null;
  for (const [pattern, url] of Object.entries(runbooks)) {
    if (!globMatcher(pattern)(checkId)) continue;
    if (!best || pattern.length > best.pattern.length) best = { pattern, url };
  }
  return best?.url ?? null;
}
