/**
 * CIS Kubernetes v1.12 controls that need human judgment or data no API exposes. They are listed (README, evidence
 * of the catalogue) but never scored: a scanner that "passes" them would be guessing.
 */
export const MANUAL_CONTROLS: readonly { readonly cis: string; readonly title: string; readonly why: string }[] = [
  { cis: '1.1.9 / 1.1.10', title: 'CNI file permissions and ownership', why: 'CNI file locations differ per plugin; review the plugin documentation' },
  { cis: '1.2.20', title: 'API server --request-timeout is appropriate', why: '"appropriate" depends on the workload' },
  { cis: '3.1.1–3.1.3', title: 'Client certificate, service account token and bootstrap token authentication not used for users', why: 'user authentication methods are not visible through the API' },
  { cis: '3.2.2', title: 'The audit policy covers key security concerns', why: 'coverage of a policy is a judgment; k8s.audit.policy-file checks one exists' },
  { cis: '4.2.8', title: 'Kubelet eventRecordQPS is appropriate', why: 'the right rate depends on the cluster' },
  { cis: '5.1.7', title: 'Avoid use of the system:masters group', why: 'group membership lives in client certificates, not in RBAC objects' },
  { cis: '5.3.1', title: 'The CNI in use supports NetworkPolicy', why: 'support is a property of the plugin and its configuration' },
  { cis: '5.4.2', title: 'External secret storage', why: 'an organisational choice; no object proves it' },
  { cis: '5.5.1', title: 'Image provenance via ImagePolicyWebhook', why: 'provenance can be enforced by several mechanisms (admission webhooks, policy engines)' },
  { cis: '5.6.1', title: 'Administrative boundaries between resources using namespaces', why: 'boundaries are an organisational decision' },
  { cis: '5.6.3', title: 'Apply a security context to pods and containers', why: 'composite: covered field by field by the k8s.pods.* controls' },
];
