import { z } from 'zod';

const isoDate = z
  .union([z.string(), z.date()])
  .transform((value, ctx) => {
    const time = value instanceof Date ? value.getTime() : Date.parse(value);
    if (Number.isNaN(time)) {
      ctx.addIssue({ code: 'custom', message: `'${String(value)}' is not a date (use YYYY-MM-DD)` });
      return z.NEVER;
    }
    return time;
  });

/**
 * An exception is an audited, expiring acceptance: which control, which objects, why, who owns it, until when. It maps
 * onto the core's `accepted` decision (see FindingInput.acceptance), so it lapses like any accepted risk: after
 * `expires` the finding alerts again.
 */
export const exceptionSchema = z.strictObject({
  /** A check id or a glob over ids: `k8s.pods.host-network`, `k8s.pods.*`. */
  control: z.string().regex(/^k8s\.[a-z0-9.*-]+$/, 'a k8s check id or glob, e.g. k8s.pods.*'),
  namespace: z.string().min(1).optional(),
  kind: z.string().min(1).optional(),
  /** Object name; `*` matches any run of characters. */
  name: z.string().min(1).optional(),
  /** Every label given must match. */
  labels: z.record(z.string(), z.string()).optional(),
  reason: z.string().min(3),
  owner: z.string().min(1),
  expires: isoDate,
});
export type K8sException = z.output<typeof exceptionSchema>;

export const PROVIDERS = ['auto', 'self-managed', 'eks', 'gke', 'aks'] as const;

/**
 * Options shared by every k8s.* check. A job `check: k8s` gives them once and every control evaluates one collection.
 * `source` picks the object collector: the live API (kubeconfig context or in-cluster service account), offline
 * `kubectl get -o json` dumps and manifest directories, or none (node files only).
 */
export const k8sOptionsSchema = z
  .strictObject({
    source: z.enum(['api', 'dump', 'none']).optional(),
    /** Path to a kubeconfig; default: $KUBECONFIG or ~/.kube/config. */
    kubeconfig: z.string().min(1).optional(),
    context: z.string().min(1).optional(),
    /** Use the pod's service account (running as a CronJob in the cluster). */
    inCluster: z.boolean().default(false),
    /** Files or directories of `kubectl get -o json` output, List JSON or YAML manifests (multi-document). */
    dumps: z.array(z.string().min(1)).default([]),
    /** Objects per list request; the API pages with `continue`. */
    pageSize: z.number().int().min(1).max(5000).default(500),
    /** A node's root filesystem: a mounted host root (/host) or an extracted tarball collected from a node. */
    nodeRoot: z.string().min(1).optional(),
    /** Name used in node findings; default: <nodeRoot>/etc/hostname, else the root path. */
    nodeName: z.string().min(1).optional(),
    /**
     * JSON file `{ "/etc/kubernetes/admin.conf": "0600 root:root", ... }` overriding mode and owner for node paths, for
     * tarballs extracted without ownership (and for tests, which cannot chown).
     */
    modesFile: z.string().min(1).optional(),
    /** Managed clusters (EKS, GKE, AKS) have no reachable control plane: section 1 and 2 controls do not apply. */
    provider: z.enum(PROVIDERS).default('auto'),
    /** More `Kind/name` globs of system components in kube-system (added to the built-in allowlist). */
    systemComponents: z.array(z.string().regex(/^[A-Za-z]+\/\S+$/, 'Kind/name, e.g. DaemonSet/my-cni-*')).default([]),
    exceptions: z.array(exceptionSchema).default([]),
  })
  .superRefine((options, ctx) => {
    const source = options.source ?? (options.dumps.length > 0 ? 'dump' : 'api');
    if (source === 'dump' && options.dumps.length === 0) ctx.addIssue({ code: 'custom', path: ['dumps'], message: "source 'dump' needs at least one path in dumps" });
    if (source !== 'api' && (options.inCluster || options.context)) ctx.addIssue({ code: 'custom', path: ['source'], message: 'inCluster and context apply only to source: api' });
  });

export type K8sOptions = z.output<typeof k8sOptionsSchema>;

export function resolvedSource(options: K8sOptions): 'api' | 'dump' | 'none' {
  return options.source ?? (options.dumps.length > 0 ? 'dump' : 'api');
}
