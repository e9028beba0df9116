import type { JsonValue } from '../../src/check-api/types.js';
import { cis, eks, gke } from './cis.js';
import { clusterObjects } from './collect/index.js';
import { type ControlAssessment, type ControlHit } from './control-result.js';
import { objectRef, type ClusterInventory, type PolicyRule } from './model.js';
import { defineK8sControlCheck, type K8sControlMeta } from './control-check.js';
import type { K8sOptions } from './options.js';
import { holdersJson, isBuiltIn, RbacGraph, ruleGrants, type PermissionQuery } from './rbac-graph.js';
import { systemComponentMatcher } from './system-components.js';

export interface RbacPermissionControl extends K8sControlMeta {
  readonly verdict: string;
  readonly references: ReturnType<typeof cis>;
  /**
   * Cluster-scoped resources (persistentvolumes, nodes, CSRs, webhook configurations) can only be granted by a
   * ClusterRole through a ClusterRoleBinding: a Role that names them, or a RoleBinding to such a ClusterRole, grants
   * nothing, so neither is reported.
   */
  readonly clusterScoped?: boolean;
  /** What the rule grants that the control is about, e.g. ['get,list secrets']; empty when nothing. */
  readonly grants: (rule: PolicyRule) => string[];
}

const query = (groups: string[], resources: string[], verbs: string[]): ((rule: PolicyRule) => string[]) => {
  const q: PermissionQuery = { groups, resources, verbs };
  return (rule) => ruleGrants(rule, q);
};

/**
 * CIS 5.1.2–5.1.4 and 5.1.8–5.1.13 as one table: each control is a permission; each finding is a role that grants it,
 * with the rules that do and the subjects that hold it through which binding. Built-in roles (rbac-defaults label) are
 * reported only when a non-default binding hands them to someone.
 */
export const RBAC_PERMISSION_CONTROLS = [
  {
    id: 'k8s.rbac.secrets-access',
    title: 'Access to secrets is minimized',
    verdict: 'can read secrets',
    severity: 'high',
    description: 'get, list or watch on secrets reads every credential in scope (list returns the values too).',
    remediation: 'Remove secrets from the role, or narrow it with resourceNames to the secrets the workload needs.',
    references: [...cis('5.1.2'), ...eks('4.1.2'), ...gke('4.1.2')],
    grants: query([''], ['secrets'], ['get', 'list', 'watch']),
  },
  {
    id: 'k8s.rbac.wildcards',
    title: 'Roles use no wildcards',
    verdict: 'uses wildcards',
    severity: 'medium',
    description: 'A * in apiGroups, resources or verbs grants everything that exists now and every resource added later.',
    remediation: 'Replace * with the explicit groups, resources and verbs the subject needs.',
    references: [...cis('5.1.3'), ...eks('4.1.3'), ...gke('4.1.3')],
    grants: (rule) => [
      ...((rule.apiGroups ?? []).includes('*') ? ['apiGroups: *'] : []),
      ...((rule.resources ?? []).includes('*') ? ['resources: *'] : []),
      ...(rule.verbs.includes('*') ? ['verbs: *'] : []),
      ...((rule.nonResourceURLs ?? []).includes('*') ? ['nonResourceURLs: *'] : []),
    ],
  },
  {
    id: 'k8s.rbac.create-pods',
    title: 'Pod creation is minimized',
    verdict: 'can create pods',
    severity: 'medium',
    description: 'Whoever can create a pod can mount any secret and run as any service account in that namespace.',
    remediation: 'Remove create on pods; let controllers create pods and grant people access to the controllers only.',
    references: [...cis('5.1.4'), ...eks('4.1.4')],
    grants: query([''], ['pods'], ['create']),
  },
  {
    id: 'k8s.rbac.privilege-escalation-verbs',
    title: 'bind, escalate and impersonate are not granted',
    verdict: 'grants bind, escalate or impersonate',
    severity: 'high',
    description: 'bind and escalate let a subject grant itself any role; impersonate lets it act as any user, group or service account.',
    remediation: 'Remove bind/escalate on roles and clusterroles and impersonate on users, groups and serviceaccounts.',
    references: [...cis('5.1.8'), ...eks('4.1.8'), ...gke('4.1.7')],
    grants: (rule) => [
      ...ruleGrants(rule, { groups: ['rbac.authorization.k8s.io'], resources: ['roles', 'clusterroles'], verbs: ['bind', 'escalate'] }),
      ...ruleGrants(rule, { groups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] }),
      ...ruleGrants(rule, { groups: ['authentication.k8s.io'], resources: ['userextras/*', 'uids'], verbs: ['impersonate'] }),
    ],
  },
  {
    id: 'k8s.rbac.persistent-volume-create',
    title: 'PersistentVolume creation is minimized',
    verdict: 'can create PersistentVolumes',
    severity: 'medium',
    description: 'Creating a PersistentVolume can point it at any host path, which gives a pod the node filesystem.',
    remediation: 'Remove create on persistentvolumes; use StorageClasses and dynamic provisioning.',
    references: cis('5.1.9'),
    clusterScoped: true,
    grants: query([''], ['persistentvolumes'], ['create']),
  },
  {
    id: 'k8s.rbac.node-proxy',
    title: 'Access to the nodes/proxy subresource is minimized',
    verdict: 'can use nodes/proxy',
    severity: 'high',
    description: 'nodes/proxy reaches the kubelet API directly (exec into any pod on the node), bypassing admission and audit.',
    remediation: 'Remove nodes/proxy from the role.',
    references: cis('5.1.10'),
    clusterScoped: true,
    grants: query([''], ['nodes/proxy'], ['get', 'create', 'update', 'patch', 'delete']),
  },
  {
    id: 'k8s.rbac.csr-approval',
    title: 'Certificate signing request approval is minimized',
    verdict: 'can approve certificate signing requests',
    severity: 'high',
    description: 'Approving CSRs mints client certificates, including for system:masters when a signer allows it.',
    remediation: 'Remove update/patch on certificatesigningrequests/approval and approve on signers.',
    references: cis('5.1.11'),
    clusterScoped: true,
    grants: (rule) => [
      ...ruleGrants(rule, { groups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update', 'patch'] }),
      ...ruleGrants(rule, { groups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'] }),
    ],
  },
  {
    id: 'k8s.rbac.webhook-config-write',
    title: 'Admission webhook configuration changes are minimized',
    verdict: 'can change admission webhook configurations',
    severity: 'high',
    description: 'Whoever edits webhook configurations can intercept (and mutate) every object sent to the API server, or switch policy off.',
    remediation: 'Remove create/update/patch/delete on validatingwebhookconfigurations and mutatingwebhookconfigurations.',
    references: cis('5.1.12'),
    clusterScoped: true,
    grants: query(['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'], ['create', 'update', 'patch', 'delete']),
  },
  {
    id: 'k8s.rbac.token-create',
    title: 'Service account token creation is minimized',
    verdict: 'can create service account tokens',
    severity: 'medium',
    description: 'create on serviceaccounts/token mints tokens for any service account in scope.',
    remediation: 'Remove create on serviceaccounts/token.',
    references: cis('5.1.13'),
    grants: query([''], ['serviceaccounts/token'], ['create']),
  },
] as const satisfies readonly RbacPermissionControl[];

function defineRbacPermissionCheck(control: RbacPermissionControl) {
  return defineK8sControlCheck(control, { cluster: clusterObjects }, (data, options) => assessRbacPermission(control, data, options));
}

/** One RBAC permission control's verdict over one collection (evaluate and `audit k8s-score` share it). */
export function assessRbacPermission(control: RbacPermissionControl, { cluster }: { cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  const graph = new RbacGraph(cluster, systemComponentMatcher(options.systemComponents));
  const hits: ControlHit[] = [];
  let total = 0;
  for (const role of cluster.roles) {
    if (control.clusterScoped && role.kind === 'Role') continue;
    if (graph.isAllowlisted(role.kind, role.metadata)) continue;
    const holders = graph.holdersOf(role, control.clusterScoped);
    // A built-in role nobody was handed by a non-default binding is Kubernetes' own business.
    if (isBuiltIn(role.metadata) && holders.length === 0) continue;
    total++;
    const rules: JsonValue[] = [];
    role.rules.forEach((rule, index) => {
      const grants = control.grants(rule);
      if (grants.length) rules.push({ path: `rules[${index}]`, grants, ...(rule.resourceNames?.length ? { resourceNames: [...rule.resourceNames] } : {}) });
    });
    if (rules.length === 0) continue;
    const resourceId = objectRef(role.kind, role.metadata);
    hits.push({
      kind: role.kind,
      metadata: role.metadata,
      resourceId,
      // An unbound custom role grants nothing today; it is reported (someone may bind it) but ranks low.
      severity: holders.length ? control.severity : 'low',
      title: `${resourceId} ${control.verdict} (${holders.length ? `held by ${holders.length} subject${holders.length > 1 ? 's' : ''}` : 'not bound'})`,
      evidence: { kind: role.kind, namespace: role.metadata.namespace ?? null, name: role.metadata.name, rules, holders: holdersJson(holders) },
    });
  }
  return { status: 'assessed', scope: cluster.scope, outcome: { hits, total, unit: 'roles' } };
}

export const rbacPermissionChecks = RBAC_PERMISSION_CONTROLS.map(defineRbacPermissionCheck);
