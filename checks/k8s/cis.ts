import type { Reference } from '../../src/check-api/types.js';

/**
 * CIS Kubernetes Benchmark ids per version. The check id never changes; a benchmark upgrade adds a version here, so
 * finding history survives renumbering (v1.10's 5.7.x became 5.6.x in v1.12, and 5.2.10–13 moved up by one).
 */
export function cis(v112: string | undefined, v110: string | undefined = v112): Reference[] {
  const out: Reference[] = [];
  if (v112) out.push({ framework: 'cis-kubernetes', version: '1.12', control: v112 });
  if (v110) out.push({ framework: 'cis-kubernetes', version: '1.10', control: v110 });
  return out;
}

/**
 * CIS Amazon EKS Benchmark ids where the managed benchmark has the same control under another number (policies are
 * section 4, worker nodes section 3); the control plane has none, since AWS runs it.
 */
export function eks(...controls: string[]): Reference[] {
  return controls.map((control) => ({ framework: 'cis-eks', version: '1.7.0', control }));
}

/** CIS GKE Benchmark ids for the same controls (kube-bench cfg/gke-1.6.0: policies are section 4). */
export function gke(...controls: string[]): Reference[] {
  return controls.map((control) => ({ framework: 'cis-gke', version: '1.6.0', control }));
}
