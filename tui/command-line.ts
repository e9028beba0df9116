import { DEFAULT_FINDINGS_QUERY, type Route } from './routes.js';

export type CommandLineResult = { readonly ok: true; readonly route: Route } | { readonly ok: true; readonly quit: true } | { readonly ok: false; readonly error: string };

const VIEWS: readonly { readonly name: Route['screen']; readonly aliases: readonly string[] }[] = [
  { name: 'overview', aliases: ['overview', 'ov', 'o', 'home'] },
  { name: 'checks', aliases: ['checks', 'check', 'c'] },
  { name: 'findings', aliases: ['findings', 'finding', 'f'] },
  { name: 'runs', aliases: ['runs', 'run', 'r'] },
  { name: 'help', aliases: ['help', 'h'] },
];

/**
 * `:` command mode, k9s style: a view name or alias, or any unambiguous prefix of one; `:findings` takes the rest of the
 * line as its filter (`:f sev:high`).
 */
export function parseCommandLine(line: string): CommandLineResult {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const word = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const rest = space === -1 ? '' : trimmed.slice(space + 1).trim();
  if (word === '') return { ok: false, error: 'type a view: overview, checks, findings, runs, help (or q to quit)' };
  if (word === 'q' || word === 'quit' || word === 'q!') return { ok: true, quit: true };
  const exact = VIEWS.find((view) => view.aliases.includes(word));
  const prefixed = exact ? [exact] : VIEWS.filter((view) => view.aliases.some((alias) => alias.startsWith(word)));
  if (prefixed.length !== 1) {
    return { ok: false, error: prefixed.length === 0 ? `unknown view '${word}'` : `'${word}' could be ${prefixed.map((v) => v.name).join(' or ')}` };
  }
  const view = prefixed[0]!.name;
  if (rest !== '' && view !== 'findings') return { ok: false, error: `:${view} takes no arguments` };
  switch (view) {
    case 'findings':
      return { ok: true, route: { screen: 'findings', query: rest || DEFAULT_FINDINGS_QUERY } };
    case 'finding':
      return { ok: false, error: 'open a finding from the findings list' };
    default:
      return { ok: true, route: { screen: view } as Route };
  }
}
