import check from '../../../checks/secrets/history.js';
import type { HistoryInventory, RepoHistory } from '../../../checks/secrets/collect/git-history.js';
import type { Sighting } from '../../../checks/secrets/collect/repo-state.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';

const sha = (c: string) => c.repeat(64);
const stats = { objectsRead: 3, bytesRead: 100, skipped: { binary: 0, oversized: 0, vendored: 0 }, mode: 'full' as const, refsRewritten: false };
const sighting = (over: Partial<Sighting>): Sighting => ({
  ruleId: 'github-token',
  secret: { sha256: sha('a'), preview: 'ghp_…x1Q', length: 40 },
  object: 'b1'.padEnd(40, '0'),
  kind: 'blob',
  path: 'config/app.env',
  line: 3,
  column: 14,
  ...over,
});
const location = (commit: string, path: string, time: number) => ({ commit: commit.padEnd(40, '0'), path, author: 'Dev One', email: 'dev1@example.test', time });
const repo = (over: Partial<RepoHistory>): { history: HistoryInventory } => ({
  history: {
    repos: [
      {
        repoId: 'app',
        scope: 'repo:app',
        head: 'c9'.padEnd(40, '0'),
        defaultBranch: 'refs/heads/main',
        sightings: [],
        locations: {},
        tipPaths: {},
        unreachable: [],
        stats,
        ...over,
      },
    ],
  },
});
const options = { repos: [{ path: '/srv/app', name: 'app' }] };
const secretKey = `secret:${sha('a').slice(0, 32)}`;

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'a repository without sightings', options, inventory: repo({}) },
    {
      name: 'a secret seen only under an allowlisted path',
      options: { ...options, allow: { paths: ['test/fixtures/**'] } },
      inventory: repo({ sightings: [sighting({ path: 'test/fixtures/x.env' })], locations: { ['b1'.padEnd(40, '0')]: [location('c1', 'test/fixtures/x.env', 100)] } }),
    },
  ],
  fail: [
    {
      name: 'one token in two blobs and three commits is one finding keyed by the secret, not the commit',
      options,
      inventory: repo({
        sightings: [sighting({}), sighting({ object: 'b2'.padEnd(40, '0'), path: 'still.env', line: 1 })],
        locations: {
          ['b1'.padEnd(40, '0')]: [location('c2', 'config/app.env', 200), location('c1', 'config/app.env', 100)],
          ['b2'.padEnd(40, '0')]: [location('c3', 'still.env', 300)],
        },
        tipPaths: { ['b2'.padEnd(40, '0')]: ['still.env'] },
      }),
      findings: [{ resourceId: 'repo:app', key: secretKey, scope: 'repo:app', severity: 'critical', title: 'first in config/app.env), still at the default branch tip' }],
    },
    {
      name: 'an access key id beside its secret key is critical; a secret only in an unreachable blob is still reported',
      options,
      inventory: repo({
        sightings: [
          sighting({ ruleId: 'aws-access-key-id', secret: { sha256: sha('b'), preview: 'AKIA…Q2X', length: 20 }, path: 'creds' }),
          sighting({ ruleId: 'aws-secret-access-key', secret: { sha256: sha('c'), preview: 'k9Qz…TwX', length: 40 }, path: 'creds' }),
          sighting({ ruleId: 'slack-webhook', secret: { sha256: sha('d'), preview: 'http…Js6', length: 80 }, object: 'dd'.padEnd(40, '0'), path: null }),
        ],
        locations: { ['b1'.padEnd(40, '0')]: [location('c1', 'creds', 100)] },
        unreachable: ['dd'.padEnd(40, '0')],
      }),
      findings: [
        { resourceId: 'repo:app', key: `secret:${sha('b').slice(0, 32)}`, severity: 'critical' },
        { resourceId: 'repo:app', key: `secret:${sha('c').slice(0, 32)}`, severity: 'critical' },
        { resourceId: 'repo:app', key: `secret:${sha('d').slice(0, 32)}`, severity: 'medium', title: 'first in an unreachable blob' },
      ],
    },
  ],
  partial: [
    {
      name: 'a repository that failed to fetch is not covered',
      options: { repos: [{ path: '/srv/app', name: 'app' }, { path: '/srv/gone', name: 'gone' }] },
      collected: {
        history: {
          data: repo({ sightings: [sighting({})], locations: { ['b1'.padEnd(40, '0')]: [location('c1', 'config/app.env', 100)] } }).history,
          coverage: { ok: ['repo:app'], failed: [{ scope: 'repo:gone', error: { name: 'CollectorUnreachable', message: 'not a git repository' } }] },
        },
      },
      failedScopes: ['repo:gone'],
    },
  ],
});
