import picomatch from 'picomatch';
import type { FindingInput, JsonValue, Severity } from '../../src/check-api/types.js';
import type { RepoHistory } from './collect/git-history.js';
import type { Sighting } from './collect/repo-state.js';
import type { HistoryOptions } from './options.js';
import { SECRET_RULES } from './rules/index.js';

const RULE_ORDER = new Map(SECRET_RULES.map((rule, index) => [rule.id, index]));
const RULES = new Map(SECRET_RULES.map((rule) => [rule.id, rule]));
const MAX_LISTED_OCCURRENCES = 100;

interface Occurrence {
  readonly object: string;
  readonly kind: Sighting['kind'];
  readonly commit: string | null;
  readonly path: string | null;
  readonly line: number;
  readonly author: string | null;
  readonly email: string | null;
  readonly time: number | null;
  readonly unreachable: boolean;
}

/**
 * One finding per (repository, secret): every sighting of the same secret hash is one ticket however many commits,
 * files, branches or rules saw it. The key is the secret's hash and never the commit, so a rescan that finds the key in
 * a new commit updates the same finding instead of opening another.
 */
export function secretFindings(repos: readonly RepoHistory[], options: HistoryOptions): FindingInput[] {
  const allowed = options.allow.paths.length > 0 ? picomatch([...options.allow.paths], { dot: true }) : () => false;
  const findings: FindingInput[] = [];
  for (const repo of repos) {
    const unreachable = new Set(repo.unreachable);
    const bySecret = new Map<string, Sighting[]>();
    for (const sighting of repo.sightings) {
      const list = bySecret.get(sighting.secret.sha256) ?? [];
      list.push(sighting);
      bySecret.set(sighting.secret.sha256, list);
    }
    for (const [sha256, sightings] of [...bySecret].sort(([a], [b]) => a.localeCompare(b))) {
      const occurrences = sightings
        .flatMap((s) => occurrencesOf(repo, s, unreachable))
        .filter((o) => o.path === null || !allowed(o.path))
        .sort(byFirstAppearance);
      if (occurrences.length === 0) continue;
      const ruleId = [...new Set(sightings.map((s) => s.ruleId))].sort((a, b) => (RULE_ORDER.get(a) ?? 999) - (RULE_ORDER.get(b) ?? 999))[0]!;
      const rule = RULES.get(ruleId);
      const first = occurrences[0]!;
      const objects = new Set(sightings.map((s) => s.object));
      const tipPaths = [...objects].flatMap((oid) => repo.tipPaths[oid] ?? []).sort();
      const paired = ruleId === 'aws-access-key-id' ? pairedSecret(repo, objects) : undefined;
      const severity: Severity = paired ? 'critical' : (rule?.severity ?? 'high');
      const secret = sightings[0]!.secret;
      const where = first.kind === 'blob' ? (first.path ?? 'an unreachable blob') : `a ${first.kind} message`;
      findings.push({
        resourceId: repo.scope,
        key: `secret:${sha256.slice(0, 32)}`,
        scope: repo.scope,
        title: `${rule?.title ?? ruleId} in the history of ${repo.repoId} (first in ${where})${tipPaths.length ? ', still at the default branch tip' : ''}`,
        severity,
        evidence: {
          rule: ruleId,
          provider: rule?.provider ?? 'unknown',
          secret: { sha256: secret.sha256, preview: secret.preview, length: secret.length },
          firstSeen: occurrenceJson(first),
          occurrences: occurrences.slice(0, MAX_LISTED_OCCURRENCES).map(occurrenceJson),
          occurrenceCount: occurrences.length,
          defaultBranch: repo.defaultBranch,
          presentAtDefaultBranchTip: tipPaths.length > 0,
          tipPaths,
          reachable: occurrences.some((o) => !o.unreachable),
          ...(paired ? { pairedSecret: paired } : {}),
        },
        location: {
          ...(first.path !== null ? { file: first.path } : {}),
          line: first.line,
          ...(first.commit !== null ? { commit: first.commit } : {}),
        },
        remediation:
          'Revoke and rotate this credential at its provider first: it stays exploitable in every clone even after the ' +
          'history is rewritten. Then remove it from the default branch and load it from a secret manager.',
        tags: [`rule:${ruleId}`, `provider:${rule?.provider ?? 'unknown'}`, tipPaths.length ? 'at-tip' : 'history-only'],
      });
    }
  }
  return findings;
}

function occurrencesOf(repo: RepoHistory, s: Sighting, unreachable: ReadonlySet<string>): Occurrence[] {
  const base = { object: s.object, kind: s.kind, line: s.line, unreachable: unreachable.has(s.object) };
  const locations = repo.locations[s.object] ?? [];
  if (locations.length === 0) return [{ ...base, commit: null, path: s.path, author: null, email: null, time: null }];
  return locations.map((l) => ({ ...base, commit: l.commit, path: s.kind === 'blob' ? l.path : null, author: l.author, email: l.email, time: l.time }));
}

function byFirstAppearance(a: Occurrence, b: Occurrence): number {
  return (a.time ?? Infinity) - (b.time ?? Infinity) || (a.commit ?? '~').localeCompare(b.commit ?? '~') || (a.path ?? '').localeCompare(b.path ?? '') || a.line - b.line;
}

function occurrenceJson(o: Occurrence): { [key: string]: JsonValue } {
  return {
    kind: o.kind,
    object: o.object,
    commit: o.commit,
    path: o.path,
    line: o.line,
    author: o.author,
    email: o.email,
    date: o.time !== null ? new Date(o.time * 1000).toISOString() : null,
    unreachable: o.unreachable,
  };
}

/** An access key id is far worse with its secret beside it: report the secret's hash when both sit in one object. */
function pairedSecret(repo: RepoHistory, objects: ReadonlySet<string>): { sha256: string; preview: string } | undefined {
  const partner = repo.sightings.find((s) => s.ruleId === 'aws-secret-access-key' && objects.has(s.object));
  return partner ? { sha256: partner.secret.sha256, preview: partner.secret.preview } : undefined;
}
