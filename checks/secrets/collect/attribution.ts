import type { ObjectLocation } from './repo-state.js';
import { runGit } from './git-process.js';

const FIND_OBJECT_LIMIT = 256;

/**
 * Where each wanted blob was introduced: one `git log --raw` walk over the commits that are new since `notTips`
 * (a blob not reachable from the old tips can only have been added by a new commit). Merges are diffed against their
 * first parent, so content that exists only in a merge result (an evil merge, a conflict resolution) is attributed to
 * the merge, which patch-based scanners never look at.
 */
export async function locateBlobs(
  gitDir: string,
  wanted: ReadonlySet<string>,
  notTips: readonly string[],
  options: { reflogs: boolean; signal?: AbortSignal },
): Promise<Map<string, ObjectLocation[]>> {
  const found = new Map<string, ObjectLocation[]>();
  if (wanted.size === 0) return found;
  const args = ['log', '--all', ...(options.reflogs ? ['--reflog'] : []), '--stdin', '--no-renames', '--raw', '--no-abbrev', '--diff-merges=first-parent', '--format=%x00%H%x1f%an%x1f%ae%x1f%at'];
  // git filters the diff itself when given the ids, which keeps the output small on long histories.
  if (wanted.size <= FIND_OBJECT_LIMIT) for (const oid of wanted) args.push(`--find-object=${oid}`);
  const output = await runGit(gitDir, args, { input: notTips.map((oid) => `^${oid}\n`).join(''), ...(options.signal ? { signal: options.signal } : {}) });
  const seen = new Set<string>();
  for (const record of output.split('\0')) {
    if (record.length === 0) continue;
    const newline = record.indexOf('\n');
    const [commit, author, email, time] = (newline === -1 ? record : record.slice(0, newline)).split('\x1f');
    if (!commit) continue;
    if (newline === -1) continue;
    for (const line of record.slice(newline + 1).split('\n')) {
      if (!line.startsWith(':')) continue;
      const tab = line.indexOf('\t');
      const fields = line.slice(1, tab).split(' ');
      const blob = fields[3];
      if (!blob || !wanted.has(blob)) continue;
      const path = unquotePath(line.slice(tab + 1));
      const key = `${blob} ${commit} ${path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const list = found.get(blob) ?? [];
      list.push({ commit, path, author: author ?? '', email: email ?? '', time: Number(time ?? 0) });
      found.set(blob, list);
    }
  }
  return found;
}

/** git C-quotes paths with unusual bytes ("a\tb"); undo the common escapes. */
export function unquotePath(path: string): string {
  if (!path.startsWith('"') || !path.endsWith('"')) return path;
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const char = body[i]!;
    if (char !== '\\') {
      bytes.push(...Buffer.from(char, 'utf8'));
      continue;
    }
    const next = body[++i]!;
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(({ n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 } as Record<string, number>)[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}
