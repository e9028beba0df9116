import type { Severity } from '../../src/check-api/types.js';
import { cis, eks } from './cis.js';
import { clusterObjects, nodeFiles } from './collect/index.js';
import { notApplicable, type ControlAssessment, type ControlHit } from './control-result.js';
import type { ClusterInventory, ComponentName, NodeInventory } from './model.js';
import { defineK8sControlCheck } from './control-check.js';
import type { K8sOptions } from './options.js';
import { detectProvider } from './provider.js';
import { ComponentSettings, parseGoDuration, STRONG_CIPHERS, type SettingSpec } from './settings.js';

/** One setting that fails a control, with where its effective value came from. */
export interface SettingFailure {
  readonly setting: string;
  readonly actual: string | null;
  readonly expected: string;
  readonly from: string;
  readonly note?: string;
}

export type SettingRule = (settings: ComponentSettings) => SettingFailure[];

export interface ComponentFlagControl {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly remediation: string;
  readonly references: ReturnType<typeof cis>;
  readonly component: ComponentName;
  readonly rule: SettingRule;
}

const label = (spec: SettingSpec) => [spec.flag, spec.config].filter(Boolean).join(' / ');

/** The effective value must satisfy `ok`; `expected` says what would. */
const setting =
  (spec: SettingSpec, ok: (value: string | undefined) => boolean, expected: string, note?: string): SettingRule =>
  (s) => {
    const { value, from } = s.resolve(spec);
    return ok(value) ? [] : [{ setting: label(spec), actual: value ?? null, expected, from, ...(note ? { note } : {}) }];
  };
const equals = (spec: SettingSpec, expected: string) => setting(spec, (v) => v?.toLowerCase() === expected.toLowerCase(), expected);
const flagSet = (...flags: string[]): SettingRule => (s) => flags.flatMap((flag) => setting({ flag }, (v) => v !== undefined && v !== '', 'set')(s));
const flagUnset = (flag: string): SettingRule => setting({ flag }, (v) => v === undefined, 'not set');
const list = (value: string | undefined) => (value ?? '').split(',').map((x) => x.trim()).filter(Boolean);
const listHas = (flag: string, item: string, flagDefault?: string) => setting({ flag, ...(flagDefault ? { flagDefault } : {}) }, (v) => list(v).includes(item), `includes ${item}`);
const listLacks = (flag: string, item: string, flagDefault?: string) => setting({ flag, ...(flagDefault ? { flagDefault } : {}) }, (v) => !list(v).includes(item), `does not include ${item}`);
const atLeast = (flag: string, min: number) => setting({ flag }, (v) => v !== undefined && Number(v) >= min, `>= ${min}`);
const strongCiphers = (spec: SettingSpec) =>
  setting(spec, (v) => list(v).length > 0 && list(v).every((suite) => STRONG_CIPHERS.has(suite)), 'only AEAD suites with forward secrecy (no TLS_RSA_*, no CBC)');
const localhost = (value: string | undefined) => value !== undefined && /^(127\.0\.0\.1|localhost|::1|\[::1\])(:\d+)?$/.test(value);
const both = (...rules: SettingRule[]): SettingRule => (s) => rules.flatMap((rule) => rule(s));

/** `--feature-gates` must not switch the gate off. */
const gateNotFalse = (gate: string): SettingRule => (s) => {
  const value = s.featureGate(gate);
  return value?.toLowerCase() === 'false' ? [{ setting: `--feature-gates ${gate}`, actual: value, expected: 'not false', from: s.component.source }] : [];
};

/** 1.2.28: the EncryptionConfiguration's first provider for secrets must encrypt (identity stores plaintext). */
const encryptsSecrets: SettingRule = (s) => {
  const path = s.flag('--encryption-provider-config');
  if (!path) return [{ setting: '--encryption-provider-config', actual: null, expected: 'an EncryptionConfiguration whose first secrets provider is aescbc, aesgcm, kms or secretbox', from: 'unset' }];
  const document = s.node.documents[path] as { resources?: { resources?: string[]; providers?: Record<string, unknown>[] }[] } | undefined;
  const entry = document?.resources?.find((r) => (r.resources ?? []).some((res) => res === 'secrets' || res === '*.*' || res === '*.'));
  const first = entry?.providers?.[0] ? Object.keys(entry.providers[0])[0] : undefined;
  if (first && ['aescbc', 'aesgcm', 'kms', 'secretbox'].includes(first)) return [];
  return [{ setting: `${path}: resources[secrets].providers[0]`, actual: first ?? null, expected: 'aescbc, aesgcm, kms or secretbox', from: document ? path : `${path} (not readable on this node)` }];
};

/** 2.7: etcd must trust its own CA, not the one the API server accepts client certificates from. */
const uniqueEtcdCa: SettingRule = (s) => {
  const etcdCa = s.flag('--trusted-ca-file');
  const apiserverCa = s.node.components['kube-apiserver']?.flags['--client-ca-file'];
  if (!etcdCa) return [{ setting: '--trusted-ca-file', actual: null, expected: 'a CA dedicated to etcd', from: 'unset' }];
  return apiserverCa && apiserverCa === etcdCa ? [{ setting: '--trusted-ca-file', actual: etcdCa, expected: `a CA other than kube-apiserver --client-ca-file`, from: s.component.source }] : [];
};

/** 4.2.5: a parsed duration; `0s` (and `0`) disable the timeout. */
const positiveDuration = (spec: SettingSpec) =>
  setting(spec, (v) => v === undefined || (parseGoDuration(v) ?? 0) > 0, 'a non-zero duration', 'durations are parsed: 0s, 0m and 0 all mean no timeout');

/** 4.2.13: -1 (the default) and 0 mean unlimited. */
const positivePidLimit = setting({ flag: '--pod-max-pids', config: 'podPidsLimit', flagDefault: '-1' }, (v) => v !== undefined && Number(v) > 0, '> 0', '-1 and 0 mean unlimited');

/** 4.2.9: serving certificates are configured, or bootstrapped from the API server. */
const kubeletServingCert: SettingRule = (s) => {
  if (s.resolve({ config: 'serverTLSBootstrap', configDefault: 'false' }).value === 'true') return [];
  return both(setting({ flag: '--tls-cert-file', config: 'tlsCertFile' }, (v) => Boolean(v), 'set (or serverTLSBootstrap: true)'), setting({ flag: '--tls-private-key-file', config: 'tlsPrivateKeyFile' }, (v) => Boolean(v), 'set (or serverTLSBootstrap: true)'))(s);
};

const apiserver = (row: Omit<ComponentFlagControl, 'component'>): ComponentFlagControl => ({ ...row, component: 'kube-apiserver' });
const controllerManager = (row: Omit<ComponentFlagControl, 'component'>): ComponentFlagControl => ({ ...row, component: 'kube-controller-manager' });
const scheduler = (row: Omit<ComponentFlagControl, 'component'>): ComponentFlagControl => ({ ...row, component: 'kube-scheduler' });
const etcd = (row: Omit<ComponentFlagControl, 'component'>): ComponentFlagControl => ({ ...row, component: 'etcd' });
const kubelet = (row: Omit<ComponentFlagControl, 'component'>): ComponentFlagControl => ({ ...row, component: 'kubelet' });

/**
 * CIS sections 1.2–1.4, 2, 3.2.1 and 4.2–4.3 as one table: component settings with upstream defaults when unset.
 * Control-plane rows (sections 1–3) do not apply to managed clusters; kubelet and kube-proxy rows do.
 */
export const COMPONENT_FLAG_CONTROLS: readonly ComponentFlagControl[] = [
  apiserver({ id: 'k8s.apiserver.anonymous-auth', title: 'API server: anonymous requests are disabled', severity: 'medium', references: cis('1.2.1'), remediation: 'Set --anonymous-auth=false on kube-apiserver (health checks can use an authenticated probe).', rule: equals({ flag: '--anonymous-auth', flagDefault: 'true' }, 'false') }),
  apiserver({ id: 'k8s.apiserver.token-auth-file', title: 'API server: no static token file', severity: 'high', references: cis('1.2.2'), remediation: 'Remove --token-auth-file; use client certificates, OIDC or service account tokens.', rule: flagUnset('--token-auth-file') }),
  apiserver({ id: 'k8s.apiserver.deny-service-external-ips', title: 'API server: DenyServiceExternalIPs admission plugin is enabled', severity: 'low', references: cis('1.2.3'), remediation: 'Add DenyServiceExternalIPs to --enable-admission-plugins.', rule: listHas('--enable-admission-plugins', 'DenyServiceExternalIPs') }),
  apiserver({ id: 'k8s.apiserver.kubelet-client-certificate', title: 'API server: authenticates to kubelets with a client certificate', severity: 'high', references: cis('1.2.4'), remediation: 'Set --kubelet-client-certificate and --kubelet-client-key.', rule: flagSet('--kubelet-client-certificate', '--kubelet-client-key') }),
  apiserver({ id: 'k8s.apiserver.kubelet-certificate-authority', title: "API server: verifies kubelets' serving certificates", severity: 'medium', references: cis('1.2.5'), remediation: 'Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates.', rule: flagSet('--kubelet-certificate-authority') }),
  apiserver({ id: 'k8s.apiserver.authorization-not-always-allow', title: 'API server: authorization mode is not AlwaysAllow', severity: 'critical', references: cis('1.2.6'), remediation: 'Set --authorization-mode=Node,RBAC.', rule: listLacks('--authorization-mode', 'AlwaysAllow', 'AlwaysAllow') }),
  apiserver({ id: 'k8s.apiserver.authorization-node', title: 'API server: Node authorization is enabled', severity: 'medium', references: cis('1.2.7'), remediation: 'Include Node in --authorization-mode.', rule: listHas('--authorization-mode', 'Node', 'AlwaysAllow') }),
  apiserver({ id: 'k8s.apiserver.authorization-rbac', title: 'API server: RBAC authorization is enabled', severity: 'high', references: cis('1.2.8'), remediation: 'Include RBAC in --authorization-mode.', rule: listHas('--authorization-mode', 'RBAC', 'AlwaysAllow') }),
  apiserver({ id: 'k8s.apiserver.event-rate-limit', title: 'API server: EventRateLimit admission plugin is enabled', severity: 'low', references: cis('1.2.9'), remediation: 'Add EventRateLimit to --enable-admission-plugins and configure it with --admission-control-config-file.', rule: listHas('--enable-admission-plugins', 'EventRateLimit') }),
  apiserver({ id: 'k8s.apiserver.always-admit', title: 'API server: AlwaysAdmit admission plugin is not enabled', severity: 'high', references: cis('1.2.10'), remediation: 'Remove AlwaysAdmit from --enable-admission-plugins.', rule: listLacks('--enable-admission-plugins', 'AlwaysAdmit') }),
  apiserver({ id: 'k8s.apiserver.always-pull-images', title: 'API server: AlwaysPullImages admission plugin is enabled', severity: 'low', references: cis('1.2.11'), remediation: 'Add AlwaysPullImages to --enable-admission-plugins on multi-tenant clusters.', rule: listHas('--enable-admission-plugins', 'AlwaysPullImages') }),
  apiserver({ id: 'k8s.apiserver.service-account-plugin', title: 'API server: ServiceAccount admission plugin is not disabled', severity: 'medium', references: cis('1.2.12'), remediation: 'Remove ServiceAccount from --disable-admission-plugins.', rule: listLacks('--disable-admission-plugins', 'ServiceAccount') }),
  apiserver({ id: 'k8s.apiserver.namespace-lifecycle-plugin', title: 'API server: NamespaceLifecycle admission plugin is not disabled', severity: 'medium', references: cis('1.2.13'), remediation: 'Remove NamespaceLifecycle from --disable-admission-plugins.', rule: listLacks('--disable-admission-plugins', 'NamespaceLifecycle') }),
  apiserver({ id: 'k8s.apiserver.node-restriction', title: 'API server: NodeRestriction admission plugin is enabled', severity: 'medium', references: cis('1.2.14'), remediation: 'Add NodeRestriction to --enable-admission-plugins.', rule: listHas('--enable-admission-plugins', 'NodeRestriction') }),
  apiserver({ id: 'k8s.apiserver.profiling', title: 'API server: profiling is disabled', severity: 'low', references: cis('1.2.15'), remediation: 'Set --profiling=false on kube-apiserver.', rule: equals({ flag: '--profiling', flagDefault: 'true' }, 'false') }),
  apiserver({ id: 'k8s.apiserver.audit-log-path', title: 'API server: audit log path is set', severity: 'medium', references: cis('1.2.16'), remediation: 'Set --audit-log-path (and --audit-policy-file, without which nothing is logged).', rule: flagSet('--audit-log-path') }),
  apiserver({ id: 'k8s.apiserver.audit-log-maxage', title: 'API server: audit logs are kept 30 days or more', severity: 'low', references: cis('1.2.17'), remediation: 'Set --audit-log-maxage=30 or more.', rule: atLeast('--audit-log-maxage', 30) }),
  apiserver({ id: 'k8s.apiserver.audit-log-maxbackup', title: 'API server: 10 or more audit log files are kept', severity: 'low', references: cis('1.2.18'), remediation: 'Set --audit-log-maxbackup=10 or more.', rule: atLeast('--audit-log-maxbackup', 10) }),
  apiserver({ id: 'k8s.apiserver.audit-log-maxsize', title: 'API server: audit log files rotate at 100 MB or more', severity: 'low', references: cis('1.2.19'), remediation: 'Set --audit-log-maxsize=100 or more.', rule: atLeast('--audit-log-maxsize', 100) }),
  apiserver({ id: 'k8s.apiserver.service-account-lookup', title: 'API server: service account tokens are checked against etcd', severity: 'medium', references: cis('1.2.21'), remediation: 'Set --service-account-lookup=true (or remove the flag).', rule: equals({ flag: '--service-account-lookup', flagDefault: 'true' }, 'true') }),
  apiserver({ id: 'k8s.apiserver.service-account-key-file', title: 'API server: service account key file is set', severity: 'medium', references: cis('1.2.22'), remediation: 'Set --service-account-key-file to the public key matching the controller manager\'s private key.', rule: flagSet('--service-account-key-file') }),
  apiserver({ id: 'k8s.apiserver.etcd-client-certificate', title: 'API server: authenticates to etcd with a client certificate', severity: 'high', references: cis('1.2.23'), remediation: 'Set --etcd-certfile and --etcd-keyfile.', rule: flagSet('--etcd-certfile', '--etcd-keyfile') }),
  apiserver({ id: 'k8s.apiserver.tls-certificate', title: 'API server: serves TLS with its own certificate', severity: 'high', references: cis('1.2.24'), remediation: 'Set --tls-cert-file and --tls-private-key-file.', rule: flagSet('--tls-cert-file', '--tls-private-key-file') }),
  apiserver({ id: 'k8s.apiserver.client-ca-file', title: 'API server: client certificate CA is set', severity: 'high', references: cis('1.2.25'), remediation: 'Set --client-ca-file.', rule: flagSet('--client-ca-file') }),
  apiserver({ id: 'k8s.apiserver.etcd-ca-file', title: "API server: verifies etcd's certificate", severity: 'high', references: cis('1.2.26'), remediation: 'Set --etcd-cafile.', rule: flagSet('--etcd-cafile') }),
  apiserver({ id: 'k8s.apiserver.encryption-provider-config', title: 'API server: encryption at rest is configured', severity: 'medium', references: cis('1.2.27'), remediation: 'Set --encryption-provider-config to an EncryptionConfiguration.', rule: flagSet('--encryption-provider-config') }),
  apiserver({ id: 'k8s.apiserver.encryption-providers', title: 'API server: secrets are encrypted at rest with a real provider', severity: 'medium', references: cis('1.2.28'), remediation: 'Put aescbc, aesgcm, kms (v2) or secretbox first for secrets in the EncryptionConfiguration, then rewrite all secrets.', rule: encryptsSecrets }),
  apiserver({ id: 'k8s.apiserver.tls-cipher-suites', title: 'API server: only strong TLS cipher suites', severity: 'low', references: cis('1.2.29'), remediation: 'Set --tls-cipher-suites to ECDHE AEAD suites only.', rule: strongCiphers({ flag: '--tls-cipher-suites' }) }),
  apiserver({ id: 'k8s.apiserver.service-account-extend-token-expiration', title: 'API server: service account tokens are not silently extended', severity: 'low', references: cis('1.2.30', undefined), remediation: 'Set --service-account-extend-token-expiration=false.', rule: equals({ flag: '--service-account-extend-token-expiration', flagDefault: 'true' }, 'false') }),
  apiserver({ id: 'k8s.audit.policy-file', title: 'API server: an audit policy is configured', severity: 'medium', references: cis('3.2.1'), remediation: 'Set --audit-policy-file; without it --audit-log-path records nothing.', rule: flagSet('--audit-policy-file') }),

  controllerManager({ id: 'k8s.controller-manager.terminated-pod-gc-threshold', title: 'Controller manager: terminated pods are garbage-collected', severity: 'low', references: cis('1.3.1'), remediation: 'Set --terminated-pod-gc-threshold (e.g. 10).', rule: flagSet('--terminated-pod-gc-threshold') }),
  controllerManager({ id: 'k8s.controller-manager.profiling', title: 'Controller manager: profiling is disabled', severity: 'low', references: cis('1.3.2'), remediation: 'Set --profiling=false on kube-controller-manager.', rule: equals({ flag: '--profiling', flagDefault: 'true' }, 'false') }),
  controllerManager({ id: 'k8s.controller-manager.service-account-credentials', title: 'Controller manager: each controller uses its own service account', severity: 'medium', references: cis('1.3.3'), remediation: 'Set --use-service-account-credentials=true.', rule: equals({ flag: '--use-service-account-credentials', flagDefault: 'false' }, 'true') }),
  controllerManager({ id: 'k8s.controller-manager.service-account-private-key', title: 'Controller manager: signs service account tokens with a key file', severity: 'medium', references: cis('1.3.4'), remediation: 'Set --service-account-private-key-file.', rule: flagSet('--service-account-private-key-file') }),
  controllerManager({ id: 'k8s.controller-manager.root-ca-file', title: 'Controller manager: root CA is distributed to pods', severity: 'medium', references: cis('1.3.5'), remediation: 'Set --root-ca-file.', rule: flagSet('--root-ca-file') }),
  controllerManager({ id: 'k8s.controller-manager.rotate-kubelet-server-certificate', title: 'Controller manager: kubelet server certificate rotation is not disabled', severity: 'low', references: cis('1.3.6'), remediation: 'Remove RotateKubeletServerCertificate=false from --feature-gates.', rule: gateNotFalse('RotateKubeletServerCertificate') }),
  controllerManager({ id: 'k8s.controller-manager.bind-address', title: 'Controller manager: binds to loopback only', severity: 'medium', references: cis('1.3.7'), remediation: 'Set --bind-address=127.0.0.1 (the upstream default is 0.0.0.0; kubeadm sets loopback).', rule: setting({ flag: '--bind-address', flagDefault: '0.0.0.0' }, localhost, '127.0.0.1') }),

  scheduler({ id: 'k8s.scheduler.profiling', title: 'Scheduler: profiling is disabled', severity: 'low', references: cis('1.4.1'), remediation: 'Set --profiling=false on kube-scheduler.', rule: equals({ flag: '--profiling', flagDefault: 'true' }, 'false') }),
  scheduler({ id: 'k8s.scheduler.bind-address', title: 'Scheduler: binds to loopback only', severity: 'medium', references: cis('1.4.2'), remediation: 'Set --bind-address=127.0.0.1 (the upstream default is 0.0.0.0).', rule: setting({ flag: '--bind-address', flagDefault: '0.0.0.0' }, localhost, '127.0.0.1') }),

  etcd({ id: 'k8s.etcd.client-tls', title: 'etcd: serves clients over TLS', severity: 'high', references: cis('2.1'), remediation: 'Set --cert-file and --key-file on etcd.', rule: flagSet('--cert-file', '--key-file') }),
  etcd({ id: 'k8s.etcd.client-cert-auth', title: 'etcd: requires client certificates', severity: 'high', references: cis('2.2'), remediation: 'Set --client-cert-auth=true on etcd.', rule: equals({ flag: '--client-cert-auth', flagDefault: 'false' }, 'true') }),
  etcd({ id: 'k8s.etcd.auto-tls', title: 'etcd: no self-signed client TLS', severity: 'medium', references: cis('2.3'), remediation: 'Remove --auto-tls (or set it to false).', rule: setting({ flag: '--auto-tls', flagDefault: 'false' }, (v) => v?.toLowerCase() !== 'true', 'not true') }),
  etcd({ id: 'k8s.etcd.peer-tls', title: 'etcd: peers talk over TLS', severity: 'high', references: cis('2.4'), remediation: 'Set --peer-cert-file and --peer-key-file on etcd.', rule: flagSet('--peer-cert-file', '--peer-key-file') }),
  etcd({ id: 'k8s.etcd.peer-client-cert-auth', title: 'etcd: peers authenticate with certificates', severity: 'high', references: cis('2.5'), remediation: 'Set --peer-client-cert-auth=true on etcd.', rule: equals({ flag: '--peer-client-cert-auth', flagDefault: 'false' }, 'true') }),
  etcd({ id: 'k8s.etcd.peer-auto-tls', title: 'etcd: no self-signed peer TLS', severity: 'medium', references: cis('2.6'), remediation: 'Remove --peer-auto-tls (or set it to false).', rule: setting({ flag: '--peer-auto-tls', flagDefault: 'false' }, (v) => v?.toLowerCase() !== 'true', 'not true') }),
  etcd({ id: 'k8s.etcd.unique-ca', title: 'etcd: trusts a CA of its own', severity: 'medium', references: cis('2.7'), remediation: 'Give etcd its own CA (--trusted-ca-file), distinct from the API server --client-ca-file.', rule: uniqueEtcdCa }),

  kubelet({ id: 'k8s.kubelet.anonymous-auth', title: 'Kubelet: anonymous requests are disabled', severity: 'high', references: [...cis('4.2.1'), ...eks('3.2.1')], remediation: 'Set authentication.anonymous.enabled: false in the kubelet config (or --anonymous-auth=false).', rule: equals({ flag: '--anonymous-auth', config: 'authentication.anonymous.enabled', flagDefault: 'true', configDefault: 'false' }, 'false') }),
  kubelet({ id: 'k8s.kubelet.authorization-mode', title: 'Kubelet: authorization mode is not AlwaysAllow', severity: 'critical', references: [...cis('4.2.2'), ...eks('3.2.2')], remediation: 'Set authorization.mode: Webhook in the kubelet config (or --authorization-mode=Webhook).', rule: setting({ flag: '--authorization-mode', config: 'authorization.mode', flagDefault: 'AlwaysAllow', configDefault: 'Webhook' }, (v) => v !== 'AlwaysAllow', 'Webhook') }),
  kubelet({ id: 'k8s.kubelet.client-ca-file', title: 'Kubelet: client certificate CA is set', severity: 'high', references: [...cis('4.2.3'), ...eks('3.2.3')], remediation: 'Set authentication.x509.clientCAFile (or --client-ca-file).', rule: setting({ flag: '--client-ca-file', config: 'authentication.x509.clientCAFile' }, (v) => Boolean(v), 'set') }),
  kubelet({ id: 'k8s.kubelet.read-only-port', title: 'Kubelet: the unauthenticated read-only port is off', severity: 'medium', references: [...cis('4.2.4'), ...eks('3.2.4')], remediation: 'Set readOnlyPort: 0 (or --read-only-port=0).', rule: setting({ flag: '--read-only-port', config: 'readOnlyPort', flagDefault: '10255', configDefault: '0' }, (v) => v === '0', '0') }),
  kubelet({ id: 'k8s.kubelet.streaming-idle-timeout', title: 'Kubelet: streaming connections time out', severity: 'low', references: [...cis('4.2.5'), ...eks('3.2.5')], remediation: 'Set streamingConnectionIdleTimeout to a non-zero duration such as 4h (or remove it).', rule: positiveDuration({ flag: '--streaming-connection-idle-timeout', config: 'streamingConnectionIdleTimeout' }) }),
  kubelet({ id: 'k8s.kubelet.iptables-util-chains', title: 'Kubelet: manages its iptables chains', severity: 'low', references: [...cis('4.2.6'), ...eks('3.2.6')], remediation: 'Set makeIPTablesUtilChains: true (or remove it).', rule: equals({ flag: '--make-iptables-util-chains', config: 'makeIPTablesUtilChains', flagDefault: 'true', configDefault: 'true' }, 'true') }),
  kubelet({ id: 'k8s.kubelet.hostname-override', title: 'Kubelet: hostname is not overridden', severity: 'low', references: cis('4.2.7'), remediation: 'Remove --hostname-override (TLS between kubelet and API server needs the real name).', rule: flagUnset('--hostname-override') }),
  kubelet({ id: 'k8s.kubelet.tls-certificate', title: 'Kubelet: serves TLS with a proper certificate', severity: 'medium', references: cis('4.2.9'), remediation: 'Set tlsCertFile and tlsPrivateKeyFile, or serverTLSBootstrap: true with CSR approval.', rule: kubeletServingCert }),
  kubelet({ id: 'k8s.kubelet.rotate-certificates', title: 'Kubelet: client certificates rotate', severity: 'medium', references: [...cis('4.2.10'), ...eks('3.2.8')], remediation: 'Set rotateCertificates: true (or remove --rotate-certificates=false).', rule: setting({ flag: '--rotate-certificates', config: 'rotateCertificates' }, (v) => v?.toLowerCase() !== 'false', 'not false') }),
  kubelet({ id: 'k8s.kubelet.rotate-server-certificates', title: 'Kubelet: serving certificate rotation is not disabled', severity: 'low', references: [...cis('4.2.11'), ...eks('3.2.9')], remediation: 'Remove RotateKubeletServerCertificate=false from the kubelet feature gates.', rule: gateNotFalse('RotateKubeletServerCertificate') }),
  kubelet({ id: 'k8s.kubelet.tls-cipher-suites', title: 'Kubelet: only strong TLS cipher suites', severity: 'low', references: cis('4.2.12'), remediation: 'Set tlsCipherSuites to ECDHE AEAD suites only.', rule: strongCiphers({ flag: '--tls-cipher-suites', config: 'tlsCipherSuites' }) }),
  kubelet({ id: 'k8s.kubelet.pod-pids-limit', title: 'Kubelet: pods have a PID limit', severity: 'low', references: cis('4.2.13'), remediation: 'Set podPidsLimit to a positive number (e.g. 4096); -1 is unlimited.', rule: positivePidLimit }),
  kubelet({ id: 'k8s.kubelet.seccomp-default', title: 'Kubelet: RuntimeDefault seccomp for every pod', severity: 'low', references: cis('4.2.14', undefined), remediation: 'Set seccompDefault: true (or --seccomp-default).', rule: equals({ flag: '--seccomp-default', config: 'seccompDefault', flagDefault: 'false', configDefault: 'false' }, 'true') }),
  { id: 'k8s.kube-proxy.metrics-bind-address', title: 'kube-proxy: metrics listen on loopback only', severity: 'low', references: cis('4.3.1', undefined), remediation: 'Set metricsBindAddress: 127.0.0.1:10249 in the KubeProxyConfiguration (or --metrics-bind-address).', component: 'kube-proxy', rule: setting({ flag: '--metrics-bind-address', config: 'metricsBindAddress', flagDefault: '127.0.0.1:10249', configDefault: '127.0.0.1:10249' }, (v) => v === undefined || v === '' || localhost(v), '127.0.0.1:<port>') },
];

const CONTROL_PLANE: ReadonlySet<ComponentName> = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);

function defineComponentFlagCheck(control: ComponentFlagControl) {
  return defineK8sControlCheck({ ...control, description: `Reads the ${control.component} settings on the node (command line first, then its config file, then the upstream default).` }, { node: nodeFiles, cluster: clusterObjects }, (data, options) => assessComponentFlag(control, data, options));
}

/** One component setting control's verdict over one node (evaluate and `audit k8s-score` share it). */
export function assessComponentFlag(control: ComponentFlagControl, { node, cluster }: { node: NodeInventory | undefined; cluster: ClusterInventory }, options: K8sOptions): ControlAssessment {
  if (!node) return notApplicable('no nodeRoot configured');
  // The provider runs the control plane of a managed cluster: nothing there to read or fix.
  const provider = detectProvider(cluster, options.provider);
  if (CONTROL_PLANE.has(control.component) && provider.managed) return notApplicable(provider.reason);
  const component = node.components[control.component];
  if (!component) return notApplicable(`no ${control.component} on ${node.nodeName}`);
  const failures = control.rule(new ComponentSettings(control.component, component, node));
  const resourceId = `node/${node.nodeName}/${control.component}`;
  const hits: ControlHit[] = failures.length
    ? [
        {
          kind: 'Node',
          metadata: { name: node.nodeName },
          resourceId,
          severity: control.severity,
          title: `${control.component} on ${node.nodeName}: ${failures.map((f) => `${f.setting} is ${f.actual ?? 'unset'}, expected ${f.expected}`).join('; ')}`,
          evidence: { component: control.component, source: component.source, settings: failures.map((f) => ({ setting: f.setting, actual: f.actual, expected: f.expected, from: f.from, ...(f.note ? { note: f.note } : {}) })) },
        },
      ]
    : [];
  return { status: 'assessed', scope: node.scope, outcome: { hits, total: 1, unit: 'components' } };
}

export const componentFlagChecks = COMPONENT_FLAG_CONTROLS.map(defineComponentFlagCheck);
