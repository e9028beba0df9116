import type { ClusterInventory } from './model.js';
import type { K8sOptions } from './options.js';

export type ManagedProvider = 'eks' | 'gke' | 'aks';

export interface ProviderVerdict {
  readonly managed?: ManagedProvider;
  /** Why: shown as the reason section 1 and 2 controls do not apply. */
  readonly reason: string;
}

/**
 * kube-system agents only a given provider installs; a hint when /version carries no provider suffix (AKS never does).
 * aws-node is not one: self-managed clusters on EC2 run the VPC CNI too, while EKS always says `-eks-` in /version.
 */
const PROVIDER_AGENTS: readonly { readonly provider: ManagedProvider; readonly kind: string; readonly name: RegExp }[] = [
  { provider: 'gke', kind: 'DaemonSet', name: /^(gke-metadata-server|fluentbit-gke|pdcsi-node)$/ },
  { provider: 'aks', kind: 'DaemonSet', name: /^(azure-cns|cloud-node-manager|csi-azuredisk-node|azure-ip-masq-agent)$/ },
];

/**
 * Managed clusters (EKS, GKE, AKS) have no control plane the customer can read or fix, so CIS section 1 (and etcd,
 * section 2) does not apply; the managed benchmarks drop them. Detected from /version's gitVersion (`-eks-`, `-gke.`),
 * then from provider agents in kube-system; `provider` in the job overrides both.
 */
export function detectProvider(cluster: ClusterInventory | undefined, option: K8sOptions['provider']): ProviderVerdict {
  if (option === 'self-managed') return { reason: 'provider: self-managed (configured)' };
  if (option !== 'auto') return { managed: option, reason: `managed ${option.toUpperCase()} cluster (configured provider: ${option}): the control plane is operated by the provider` };
  const gitVersion = cluster?.version?.gitVersion ?? '';
  if (/-eks-/.test(gitVersion)) return { managed: 'eks', reason: `managed EKS cluster (/version gitVersion ${gitVersion}): the control plane is operated by AWS` };
  if (/-gke\./.test(gitVersion)) return { managed: 'gke', reason: `managed GKE cluster (/version gitVersion ${gitVersion}): the control plane is operated by Google` };
  for (const workload of cluster?.workloads ?? []) {
    if (workload.metadata.namespace !== 'kube-system') continue;
    const hint = PROVIDER_AGENTS.find((agent) => agent.kind === workload.kind && agent.name.test(workload.metadata.name));
    if (hint) {
      return { managed: hint.provider, reason: `managed ${hint.provider.toUpperCase()} cluster (kube-system/${workload.kind}/${workload.metadata.name} present): the control plane is operated by the provider` };
    }
  }
  return { reason: gitVersion ? `self-managed (gitVersion ${gitVersion})` : 'self-managed (no provider hints)' };
}
