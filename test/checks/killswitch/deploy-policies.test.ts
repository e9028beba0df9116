import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The least-privilege policies are derived from what the code calls, not kept by hand in sync with it: every SDK
 * command the AWS collectors send must be in the detect policy, and the enforce policy adds exactly the commands the
 * remediations send, no more.
 */
const IAM_PREFIX: Record<string, string> = {
  'client-cloudtrail': 'cloudtrail',
  'client-config-service': 'config',
  'client-ec2': 'ec2',
  'client-guardduty': 'guardduty',
  'client-organizations': 'organizations',
  'client-securityhub': 'securityhub',
  'client-sts': 'sts',
};

/** The collectors the kill-switch checks use; the folder also holds the CIS audit's, whose policy is its own. */
const KILLSWITCH_COLLECTORS = new Set(['clients.ts', 'scopes.ts', 'guardduty.ts', 'guardduty-members.ts', 'cloudtrail.ts', 'config.ts', 'securityhub.ts']);

function commandsIn(dir: string, only?: ReadonlySet<string>): Set<string> {
  const actions = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && (!only || only.has(f)))) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const match of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g)) {
      const prefix = IAM_PREFIX[match[2]!];
      for (const name of match[1]!.split(',').map((n) => n.trim())) {
        if (name.endsWith('Command') && prefix && new RegExp(`new ${name}\\(`).test(text)) actions.add(`${prefix}:${name.replace(/Command$/, '')}`);
      }
    }
  }
  return actions;
}

function allowed(file: string): Set<string> {
  const policy = JSON.parse(readFileSync(join('deploy/aws', file), 'utf8')) as { Statement: { Effect: string; Action: string | string[] }[] };
  return new Set(policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

describe('deploy/aws least-privilege policies', () => {
  const reads = commandsIn('checks/cloud/aws/collect', KILLSWITCH_COLLECTORS);
  const writes = commandsIn('checks/killswitch/remediate');
  // The daemon's own identity assumes the role; ListAccounts runs as the (delegated) administrator's role, or as the
  // daemon itself when the administrator account is given without a role.
  const daemonOnly = new Set(['sts:AssumeRole']);
  const global = new Set(['sts:AssumeRole', 'organizations:ListAccounts']);

  it('detect allows every read the collectors make (regional and per account), and nothing else', () => {
    const regional = [...reads].filter((a) => !daemonOnly.has(a)).sort();
    expect(regional.length).toBeGreaterThan(10);
    expect([...allowed('killswitch-detect-policy.json')].sort()).toEqual(regional);
  });

  it('enforce adds exactly the writes the remediations make, plus the service-linked-role and PassRole grants they need', () => {
    const enforce = allowed('killswitch-enforce-policy.json');
    const iam = [...enforce].filter((a) => a.startsWith('iam:')).sort();
    expect(iam).toEqual(['iam:CreateServiceLinkedRole', 'iam:DeleteRolePolicy', 'iam:PassRole', 'iam:PutRolePolicy']);
    expect([...enforce].filter((a) => !a.startsWith('iam:')).sort()).toEqual([...new Set([...reads, ...writes])].filter((a) => !daemonOnly.has(a)).sort());
    expect([...writes].every((a) => !allowed('killswitch-detect-policy.json').has(a))).toBe(true);
  });

  it('the daemon identity may only assume the kill-switch role and list accounts', () => {
    expect([...allowed('daemon-assume-roles-policy.json')].sort()).toEqual([...global].sort());
    expect([...reads].filter((a) => global.has(a)).sort()).toEqual([...global].sort());
  });
});
