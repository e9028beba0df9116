import type { JsonValue } from '../../src/check-api/types.js';
import { objectRef, type ClusterInventory, type ObjectMeta, type PolicyRule, type RbacBinding, type RbacRole } from './model.js';
import type { SystemComponentMatcher } from './system-components.js';

/**
 * Kubernetes' own default roles and bindings (cluster-admin, system:node, system:controller:*) carry this label; it,
 * not a `system:` name prefix, says an object is built in. Anyone can name a binding `system:backdoor`.
 */
export function isBuiltIn(metadata: ObjectMeta): boolean {
  return metadata.labels?.['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

export interface Holder {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The binding that grants it. */
  readonly via: string;
}

/** Who holds a role through which binding, leaving out built-in and allowlisted bindings. */
export class RbacGraph {
  private readonly bindingsByRole = new Map<string, RbacBinding[]>();

  constructor(
    readonly cluster: ClusterInventory,
    private readonly isSystem: SystemComponentMatcher,
  ) {
    for (const binding of cluster.bindings) {
      if (isBuiltIn(binding.metadata) || isSystem(binding.kind, binding.metadata)) continue;
      // A RoleBinding's Role lives in the binding's namespace; a ClusterRole is cluster-wide.
      const key = binding.roleRef.kind === 'Role' ? `Role\0${binding.metadata.namespace ?? ''}\0${binding.roleRef.name}` : `ClusterRole\0\0${binding.roleRef.name}`;
      let list = this.bindingsByRole.get(key);
      if (!list) this.bindingsByRole.set(key, (list = []));
      list.push(binding);
    }
  }

  /** Non-default bindings of a role; `clusterWideOnly` keeps ClusterRoleBindings (cluster-scoped resources). */
  bindingsOf(role: RbacRole, clusterWideOnly = false): RbacBinding[] {
    const key = role.kind === 'Role' ? `Role\0${role.metadata.namespace ?? ''}\0${role.metadata.name}` : `ClusterRole\0\0${role.metadata.name}`;
    const list = this.bindingsByRole.get(key) ?? [];
    return clusterWideOnly ? list.filter((binding) => binding.kind === 'ClusterRoleBinding') : list;
  }

  holdersOf(role: RbacRole, clusterWideOnly = false): Holder[] {
    return this.bindingsOf(role, clusterWideOnly).flatMap((binding) =>
      binding.subjects.map((subject) => ({
        kind: subject.kind,
        name: subject.name,
        ...(subject.namespace ? { namespace: subject.namespace } : subject.kind === 'ServiceAccount' && binding.metadata.namespace ? { namespace: binding.metadata.namespace } : {}),
        via: objectRef(binding.kind, binding.metadata),
      })),
    );
  }

  isAllowlisted(kind: string, metadata: ObjectMeta): boolean {
    return this.isSystem(kind, metadata);
  }
}

export function holdersJson(holders: readonly Holder[]): JsonValue {
  return holders.map((holder) => ({ kind: holder.kind, name: holder.name, ...(holder.namespace ? { namespace: holder.namespace } : {}), via: holder.via }));
}

export interface PermissionQuery {
  readonly groups: readonly string[];
  /** `pods`, or a subresource `nodes/proxy`. */
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

/**
 * Whether a rule grants any verb on any resource of the query, as the RBAC authorizer matches: `*` everywhere, and
 * `*​/sub` for a subresource of every resource. resourceNames narrow a grant but do not remove it.
 */
export function ruleGrants(rule: PolicyRule, query: PermissionQuery): string[] {
  if (!rule.resources || rule.resources.length === 0) return [];
  const groups = rule.apiGroups ?? [''];
  if (!groups.includes('*') && !query.groups.some((group) => groups.includes(group))) return [];
  const verbs = rule.verbs.includes('*') ? [...query.verbs] : query.verbs.filter((verb) => rule.verbs.includes(verb));
  if (verbs.length === 0) return [];
  const resources = query.resources.filter((resource) => {
    if (rule.resources!.includes('*') || rule.resources!.includes(resource)) return true;
    const slash = resource.indexOf('/');
    return slash > 0 && rule.resources!.includes(`*${resource.slice(slash)}`);
  });
  return resources.length === 0 ? [] : resources.map((resource) => `${verbs.join(',')} ${resource}`);
}
