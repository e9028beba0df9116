import pep440 from '@renovatebot/pep440';
import { baseEcosystem, matchEcosystem, normalizePackageName } from '../model.js';
import { orderFor, type VersionOrder } from '../versions/order.js';
import type { OsvAffected, OsvEvent, OsvRecord } from './schema.js';

export interface AffectedVerdict {
  readonly affected: boolean;
  /** `fixed` events above the version in the ranges that made it affected: the versions to upgrade to. */
  readonly fixed: readonly string[];
  /** Ranges that could not be evaluated (GIT ranges, unknown ecosystems, versions the order cannot read). */
  readonly unevaluated: number;
}

const NOT_AFFECTED: AffectedVerdict = { affected: false, fixed: [], unevaluated: 0 };

/** True when this `affected[]` entry names the package (PyPI names compared in PEP 503 form). */
export function namesPackage(entry: OsvAffected, ecosystem: string, name: string): boolean {
  if (!entry.package) return false;
  if (matchEcosystem(entry.package.ecosystem) !== matchEcosystem(ecosystem)) return false;
  return normalizePackageName(ecosystem, entry.package.name) === normalizePackageName(ecosystem, name);
}

/**
 * OSV evaluation (osv-schema "Evaluation"): affected when the version is listed in `versions`, or when any range holds.
 * A range holds when the version is below its `limit` (if any) and, walking the events in version order, the last
 * state is vulnerable: `>= introduced` sets it, `>= fixed` clears it, `> last_affected` clears it. Both `versions` and
 * ranges count (Dependency-Track ignored `versions` once a range parsed); every range is walked on its own, so
 * multi-interval event arrays (the django/PYSEC case) are honoured.
 */
export function evaluateRecord(record: OsvRecord, ecosystem: string, name: string, version: string): AffectedVerdict {
  return evaluateCompiled(compileAdvisory(record), ecosystem, name, version);
}

interface CompiledRange {
  readonly order: VersionOrder | undefined;
  /** Sorted once per advisory; undefined when a bound is not a version of the range's order (never evaluable). */
  readonly events: readonly { kind: Kind; at: string }[] | undefined;
  readonly limits: readonly string[];
}

interface CompiledEntry {
  readonly ecosystem: string;
  readonly name: string;
  readonly versions: ReadonlySet<string>;
  readonly ranges: readonly CompiledRange[];
}

export interface CompiledAdvisory {
  readonly withdrawn: boolean;
  readonly entries: readonly CompiledEntry[];
}

/** Pre-sorts every range's events so evaluating one more package version costs a few comparisons, not a sort. */
export function compileAdvisory(record: OsvRecord): CompiledAdvisory {
  const entries: CompiledEntry[] = [];
  for (const entry of record.affected ?? []) {
    if (!entry.package) continue;
    const ranges = (entry.ranges ?? []).map((range): CompiledRange => {
      const order = orderFor(entry.package!.ecosystem, range.type);
      const events = range.events.map(eventOf);
      const limits = events.filter((e) => e.kind === 'limit').map((e) => e.at);
      if (!order) return { order, events: undefined, limits };
      try {
        const sorted = events.filter((e) => e.kind !== 'limit').sort((a, b) => cmp(order, a.at, b.at) || rank(a.kind) - rank(b.kind));
        return { order, events: sorted, limits };
      } catch {
        return { order, events: undefined, limits };
      }
    });
    const ecosystem = entry.package.ecosystem;
    entries.push({ ecosystem, name: entry.package.name, versions: new Set((entry.versions ?? []).map((v) => listKey(ecosystem, v))), ranges });
  }
  return { withdrawn: Boolean(record.withdrawn), entries };
}

export function evaluateCompiled(advisory: CompiledAdvisory, ecosystem: string, name: string, version: string): AffectedVerdict {
  if (advisory.withdrawn) return NOT_AFFECTED;
  let affected = false;
  const fixed = new Set<string>();
  let unevaluated = 0;
  for (const entry of advisory.entries) {
    if (!namesPackage({ package: { ecosystem: entry.ecosystem, name: entry.name } }, ecosystem, name)) continue;
    let entryAffected = false;
    for (const range of entry.ranges) {
      if (!range.order || !range.events) {
        unevaluated += 1;
        continue;
      }
      try {
        const result = walk(range.events, range.limits, version, range.order);
        if (result.holds) {
          entryAffected = true;
          for (const f of result.fixed) fixed.add(f);
        }
      } catch {
        // A version the ecosystem's order cannot read (e.g. a non-PEP 440 string): this range says nothing about it.
        unevaluated += 1;
      }
    }
    if (!entryAffected && entry.versions.size > 0) entryAffected = entry.versions.has(listKey(entry.ecosystem, version));
    if (entryAffected) affected = true;
  }
  return { affected, fixed: affected ? [...fixed] : [], unevaluated };
}

/**
 * The spelling under which a version is looked up in a `versions` list: PEP 440 normalises spelling and ignores
 * trailing zero release segments (1.0 == 1.0.0), Maven ignores case and trailing zeros too, NuGet case, build
 * metadata and a zero fourth segment, rpm a zero epoch; other ecosystems compare exactly. Precomputed per advisory,
 * so a version absent from a long list costs one set lookup.
 */
export function listKey(ecosystem: string, version: string): string {
  const base = baseEcosystem(ecosystem);
  if (base === 'PyPI') {
    const clean = pep440.clean(version) ?? version;
    return clean.replace(/^((?:\d+!)?\d+(?:\.\d+)*?)(?:\.0+)+(?=$|[^\d.]|\.\D)/, '$1');
  }
  if (base === 'Maven') return version.toLowerCase().replace(/^(\d+(?:\.\d+)*?)(?:\.0+)+(?=$|-)/, '$1');
  // NuGet: labels compare without case, build metadata not at all, and 1.0.0.0 is 1.0.0.
  if (base === 'NuGet') return version.toLowerCase().replace(/\+.*$/, '').replace(/^(\d+\.\d+\.\d+)\.0+(?=$|-)/, '$1');
  // rpm: a zero epoch may be written or not (Rocky Linux writes `0:4.9.3-2.el9`, AlmaLinux leaves it out).
  if (base === 'AlmaLinux' || base === 'Rocky Linux') return version.replace(/^0+:/, '');
  return version;
}

type Kind = 'introduced' | 'fixed' | 'last_affected' | 'limit';

function eventOf(event: OsvEvent): { kind: Kind; at: string } {
  if (event.introduced !== undefined) return { kind: 'introduced', at: event.introduced };
  if (event.fixed !== undefined) return { kind: 'fixed', at: event.fixed };
  if (event.last_affected !== undefined) return { kind: 'last_affected', at: event.last_affected };
  return { kind: 'limit', at: event.limit! };
}

/** Compares with OSV's special values: introduced "0" is below every version, limit "*" above every version. */
function cmp(order: VersionOrder, a: string, b: string): number {
  if (a === b) return 0;
  if (a === '0') return -1;
  if (b === '0') return 1;
  if (a === '*') return 1;
  if (b === '*') return -1;
  return order.compare(a, b);
}

function walk(sorted: readonly { kind: Kind; at: string }[], limits: readonly string[], version: string, order: VersionOrder): { holds: boolean; fixed: string[] } {
  if (limits.length > 0 && !limits.some((limit) => cmp(order, version, limit) < 0)) return { holds: false, fixed: [] };
  let vulnerable = false;
  for (const event of sorted) {
    if (event.kind === 'introduced' && cmp(order, version, event.at) >= 0) vulnerable = true;
    else if (event.kind === 'fixed' && cmp(order, version, event.at) >= 0) vulnerable = false;
    else if (event.kind === 'last_affected' && cmp(order, version, event.at) > 0) vulnerable = false;
  }
  if (!vulnerable) return { holds: false, fixed: [] };
  const next = sorted.find((e) => e.kind === 'fixed' && cmp(order, e.at, version) > 0);
  return { holds: true, fixed: next ? [next.at] : [] };
}

/** At equal versions an introduction comes first, so `introduced: X, fixed: X` affects nothing. */
function rank(kind: Kind): number {
  return kind === 'introduced' ? 0 : 1;
}
