import { defineCheck } from '../../src/check-api/define-check.js';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import { resolve } from 'node:path';
import { collectGitHistory } from './collect/git-history.js';
import { resolveGitDir } from './collect/git-process.js';
import { historyOptions } from './options.js';
import { secretFindings } from './secret-findings.js';

export default defineCheck({
  id: 'secrets.history',
  title: 'No secret anywhere in a repository’s git history',
  area: 'secrets',
  severity: 'high',
  description:
    'Reads every blob, commit message and annotated tag reachable from any ref (branches, tags, remote-tracking refs, ' +
    'stash, notes, and reflogs), optionally unreachable objects too, matches each unique object once against the ' +
    'detector rules, and reports one finding per secret with where it first appeared, every other place it occurs, ' +
    'and whether the default branch still carries it. Rescans read only objects new since the last run.',
  remediation:
    'Revoke and rotate the credential at its provider: removing the commit does not un-leak it. Then take it out of ' +
    'the default branch and load it from a secret manager; rewrite history only if policy requires it.',
  references: [
    { framework: 'cwe', control: 'CWE-798', title: 'Use of hard-coded credentials' },
    { framework: 'cwe', control: 'CWE-540', title: 'Inclusion of sensitive information in source code' },
    { framework: 'cis-controls', version: '8', control: '16.1', title: 'Establish and maintain a secure application development process' },
  ],
  options: historyOptions,
  // A URL is mirrored and fetched; anything else is a local path.
  cliTarget: (value) => ({ repos: [/^(?:[a-z+]+:\/\/|[\w.-]+@[\w.-]+:)/i.test(value) ? { url: value } : { path: value }] }),
  async preflight(options) {
    for (const repo of options.repos) {
      if (repo.path === undefined) continue;
      try {
        await resolveGitDir(resolve(repo.path));
      } catch {
        throw new InvalidConfigError(`${repo.path} is not a git repository (work tree or bare)`);
      }
    }
  },
  needs: { history: collectGitHistory },
  evaluate({ history }, options) {
    return secretFindings(history.repos, options);
  },
});
