import type { MatchRow } from './store/inventory-store.js';

export interface VulnerabilityGroup {
  /** The id the finding is keyed by: the lowest CVE id among all the group's ids, else the lowest GHSA id, else the lowest id. */
  readonly key: string;
  readonly ids: ReadonlySet<string>;
  readonly rows: readonly MatchRow[];
}

function preferredId(ids: Iterable<string>): string {
  const sorted = [...ids].sort();
  return sorted.find((id) => id.startsWith('CVE-')) ?? sorted.find((id) => id.startsWith('GHSA-')) ?? sorted[0]!;
}

/**
 * One vulnerability per component per artifact, however many databases describe it: within one (artifact version,
 * package), matches whose advisories share any id (their own or an alias) are one vulnerability, transitively, so
 * `RUSTSEC-x` (no aliases) and `GHSA-y` (aliases CVE-z and RUSTSEC-x) become one group keyed `CVE-z`.
 */
export function vulnerabilityGroups(rows: readonly MatchRow[]): VulnerabilityGroup[] {
  const byPair = new Map<string, MatchRow[]>();
  for (const row of rows) {
    const pair = `${row.source}\u0000${row.artifact}\u0000${row.version}\u0000${row.ecosystem}\u0000${row.packageName}`;
    const list = byPair.get(pair);
    if (list) list.push(row);
    else byPair.set(pair, [row]);
  }
  const groups: VulnerabilityGroup[] = [];
  for (const pairRows of byPair.values()) {
    // Union-find over ids: each row links its advisory id, its key and its aliases.
    const parent = new Map<string, string>();
    const find = (id: string): string => {
      let root = id;
      while (parent.get(root) !== root) root = parent.get(root)!;
      parent.set(id, root);
      return root;
    };
    const idsOf = (row: MatchRow) => [row.advisoryId, row.vulnKey, ...row.aliases];
    for (const row of pairRows) {
      const ids = idsOf(row);
      for (const id of ids) if (!parent.has(id)) parent.set(id, id);
      for (const id of ids.slice(1)) {
        const a = find(ids[0]!);
        const b = find(id);
        if (a !== b) parent.set(a, b);
      }
    }
    const byRoot = new Map<string, { ids: Set<string>; rows: MatchRow[] }>();
    for (const row of pairRows) {
      const root = find(row.advisoryId);
      const entry = byRoot.get(root) ?? { ids: new Set<string>(), rows: [] };
      for (const id of idsOf(row)) entry.ids.add(id);
      entry.rows.push(row);
      byRoot.set(root, entry);
    }
    for (const { ids, rows: groupRows } of byRoot.values()) groups.push({ key: preferredId(ids), ids, rows: groupRows });
  }
  return groups;
}
