import { describe, expect, it } from 'vitest';
import { rbacPermissionChecks, RBAC_PERMISSION_CONTROLS } from '../../../checks/k8s/rbac-permissions.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester, type ExpectedFinding } from '../../support/check-tester.js';
import { BUILT_IN, clusterRole, clusterRoleBinding, group, inventory, namespace, role, roleBinding, sa, user } from '../../builders/k8s.js';

type Raw = Record<string, any>;
const base = [namespace('prod'), clusterRole('view-pods', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]), clusterRoleBinding('devs-view', 'view-pods', [group('devs')])];

interface RowCases {
  readonly pass: readonly { name: string; objects: Raw[] }[];
  readonly fail: readonly { name: string; objects: Raw[]; findings: ExpectedFinding[] }[];
}

const CASES: Record<(typeof RBAC_PERMISSION_CONTROLS)[number]['id'], RowCases> = {
  'k8s.rbac.secrets-access': {
    pass: [
      { name: 'no role reads secrets', objects: base },
      { name: 'built-in role with secret access held only through a built-in binding', objects: [...base, clusterRole('system:controller:tokens', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], BUILT_IN), clusterRoleBinding('system:controller:tokens', 'system:controller:tokens', [sa('tokens', 'kube-system')], BUILT_IN)] },
      { name: 'create-only on secrets does not read them', objects: [...base, role('writer', 'prod', [{ apiGroups: [''], resources: ['secrets'], verbs: ['create'] }])] },
    ],
    fail: [
      { name: 'namespaced role bound to a service account', objects: [...base, role('reader', 'prod', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['list'] }]), roleBinding('ci-reader', 'prod', { kind: 'Role', name: 'reader' }, [sa('ci', 'prod')])], findings: [{ resourceId: 'prod/Role/reader', severity: 'high', title: 'held by 1 subject' }] },
      { name: 'built-in edit role handed to a user by a custom binding', objects: [...base, clusterRole('edit', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }], BUILT_IN), roleBinding('alice-edit', 'prod', { kind: 'ClusterRole', name: 'edit' }, [user('alice')])], findings: [{ resourceId: 'ClusterRole/edit', severity: 'high' }] },
      { name: 'wildcard resources include secrets; unbound role ranks low', objects: [...base, clusterRole('everything', [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }])], findings: [{ resourceId: 'ClusterRole/everything', severity: 'low', title: 'not bound' }] },
    ],
  },
  'k8s.rbac.wildcards': {
    pass: [{ name: 'explicit rules only', objects: base }],
    fail: [{ name: 'verbs *', objects: [...base, role('ops', 'prod', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] }]), roleBinding('ops', 'prod', { kind: 'Role', name: 'ops' }, [group('ops')])], findings: [{ resourceId: 'prod/Role/ops', severity: 'medium' }] }],
  },
  'k8s.rbac.create-pods': {
    pass: [{ name: 'read-only on pods', objects: base }],
    fail: [{ name: 'create pods', objects: [...base, role('runner', 'prod', [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }]), roleBinding('runner', 'prod', { kind: 'Role', name: 'runner' }, [sa('runner', 'prod')])], findings: [{ resourceId: 'prod/Role/runner', severity: 'medium' }] }],
  },
  'k8s.rbac.privilege-escalation-verbs': {
    pass: [{ name: 'no bind, escalate or impersonate', objects: base }],
    fail: [
      { name: 'escalate on clusterroles', objects: [...base, clusterRole('rbac-admin', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'update'] }]), clusterRoleBinding('rbac-admin', 'rbac-admin', [user('bob')])], findings: [{ resourceId: 'ClusterRole/rbac-admin', severity: 'high' }] },
      { name: 'impersonate service accounts', objects: [...base, role('sudo', 'prod', [{ apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }]), roleBinding('sudo', 'prod', { kind: 'Role', name: 'sudo' }, [user('carol')])], findings: [{ resourceId: 'prod/Role/sudo', severity: 'high' }] },
    ],
  },
  'k8s.rbac.persistent-volume-create': {
    pass: [
      { name: 'no PV create', objects: base },
      { name: 'a namespaced Role naming persistentvolumes grants nothing', objects: [...base, role('pv', 'prod', [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]), roleBinding('pv', 'prod', { kind: 'Role', name: 'pv' }, [user('dave')])] },
    ],
    fail: [{ name: 'ClusterRole with PV create bound cluster-wide', objects: [...base, clusterRole('storage', [{ apiGroups: [''], resources: ['persistentvolumes'], verbs: ['create'] }]), clusterRoleBinding('storage', 'storage', [user('dave')])], findings: [{ resourceId: 'ClusterRole/storage', severity: 'medium' }] }],
  },
  'k8s.rbac.node-proxy': {
    pass: [{ name: 'no nodes/proxy', objects: [...base, clusterRole('nodes', [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }]), clusterRoleBinding('nodes', 'nodes', [user('erin')])] }],
    fail: [{ name: 'subresource wildcard */proxy', objects: [...base, clusterRole('proxy', [{ apiGroups: [''], resources: ['*/proxy'], verbs: ['get'] }]), clusterRoleBinding('proxy', 'proxy', [user('erin')])], findings: [{ resourceId: 'ClusterRole/proxy', severity: 'high' }] }],
  },
  'k8s.rbac.csr-approval': {
    pass: [{ name: 'can only create CSRs', objects: [...base, clusterRole('csr', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create'] }]), clusterRoleBinding('csr', 'csr', [user('frank')])] }],
    fail: [{ name: 'approval plus signer approve', objects: [...base, clusterRole('approver', [{ apiGroups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] }, { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] }]), clusterRoleBinding('approver', 'approver', [user('frank')])], findings: [{ resourceId: 'ClusterRole/approver', severity: 'high' }] }],
  },
  'k8s.rbac.webhook-config-write': {
    pass: [{ name: 'read-only webhooks', objects: [...base, clusterRole('hooks', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['get', 'list'] }]), clusterRoleBinding('hooks', 'hooks', [user('gina')])] }],
    fail: [{ name: 'patch mutating webhooks', objects: [...base, clusterRole('hooks-admin', [{ apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] }]), clusterRoleBinding('hooks-admin', 'hooks-admin', [user('gina')])], findings: [{ resourceId: 'ClusterRole/hooks-admin', severity: 'high' }] }],
  },
  'k8s.rbac.token-create': {
    pass: [{ name: 'no token minting', objects: base }],
    fail: [{ name: 'create serviceaccounts/token', objects: [...base, role('minter', 'prod', [{ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }]), roleBinding('minter', 'prod', { kind: 'Role', name: 'minter' }, [sa('ci', 'prod')])], findings: [{ resourceId: 'prod/Role/minter', severity: 'medium' }] }],
  },
};

for (const check of rbacPermissionChecks as unknown as AnyCheck[]) {
  const cases = CASES[check.id as keyof typeof CASES];
  checkTester(check, {
    pass: cases.pass.map((c) => ({ name: c.name, options: {}, inventory: { cluster: inventory(c.objects) } })),
    fail: cases.fail.map((c) => ({ name: c.name, options: {}, findings: c.findings, inventory: { cluster: inventory(c.objects) } })),
  });
}

describe('RBAC evidence', () => {
  it('names the granting rules and every subject holding the permission, with the binding', () => {
    const check = (rbacPermissionChecks as unknown as AnyCheck[]).find((c) => c.id === 'k8s.rbac.secrets-access')!;
    const cluster = inventory([
      namespace('prod'),
      role('reader', 'prod', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }, { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'], resourceNames: ['db'] }]),
      roleBinding('ci-reader', 'prod', { kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'ci' }, user('alice')]),
    ]);
    const [finding] = check.evaluate({ cluster } as never, check.options.parse({}));
    expect(finding!.evidence.rules).toEqual([{ path: 'rules[1]', grants: ['get,list secrets'], resourceNames: ['db'] }]);
    expect(finding!.evidence.holders).toEqual([
      { kind: 'ServiceAccount', name: 'ci', namespace: 'prod', via: 'prod/RoleBinding/ci-reader' },
      { kind: 'User', name: 'alice', via: 'prod/RoleBinding/ci-reader' },
    ]);
  });
});
