import { describe, expect, it } from 'vitest';
import { componentFlagChecks, COMPONENT_FLAG_CONTROLS } from '../../../checks/k8s/component-flags.js';
import { parseFlags } from '../../../checks/k8s/collect/flags.js';
import type { ComponentConfig, ComponentName, NodeInventory } from '../../../checks/k8s/model.js';
import { parseGoDuration } from '../../../checks/k8s/settings.js';
import type { AnyCheck } from '../../../src/check-api/types.js';
import { checkTester } from '../../support/check-tester.js';
import { inventory } from '../../builders/k8s.js';

const PKI = '/etc/kubernetes/pki';
const ENCRYPTION = '/etc/kubernetes/encryption.yaml';
const aescbc = { kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [{ name: 'k1', secret: 'redacted' }] } }, { identity: {} }] }] };
const identityFirst = { kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ identity: {} }, { aescbc: { keys: [] } }] }] };

const HARDENED: Record<Exclude<ComponentName, 'kubelet' | 'kube-proxy'>, string[]> = {
  'kube-apiserver': [
    '--anonymous-auth=false',
    '--enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs,EventRateLimit,AlwaysPullImages',
    `--kubelet-client-certificate=${PKI}/apiserver-kubelet-client.crt`,
    `--kubelet-client-key=${PKI}/apiserver-kubelet-client.key`,
    `--kubelet-certificate-authority=${PKI}/ca.crt`,
    '--authorization-mode=Node,RBAC',
    '--profiling=false',
    '--audit-log-path=/var/log/kubernetes/audit.log',
    '--audit-log-maxage=30',
    '--audit-log-maxbackup=10',
    '--audit-log-maxsize=100',
    `--service-account-key-file=${PKI}/sa.pub`,
    `--etcd-certfile=${PKI}/apiserver-etcd-client.crt`,
    `--etcd-keyfile=${PKI}/apiserver-etcd-client.key`,
    `--etcd-cafile=${PKI}/etcd/ca.crt`,
    `--tls-cert-file=${PKI}/apiserver.crt`,
    `--tls-private-key-file=${PKI}/apiserver.key`,
    `--client-ca-file=${PKI}/ca.crt`,
    `--encryption-provider-config=${ENCRYPTION}`,
    '--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
    '--service-account-extend-token-expiration=false',
    '--audit-policy-file=/etc/kubernetes/audit-policy.yaml',
  ],
  'kube-controller-manager': ['--terminated-pod-gc-threshold=10', '--profiling=false', '--use-service-account-credentials=true', `--service-account-private-key-file=${PKI}/sa.key`, `--root-ca-file=${PKI}/ca.crt`, '--bind-address=127.0.0.1', '--feature-gates=RotateKubeletServerCertificate=true'],
  'kube-scheduler': ['--profiling=false', '--bind-address=127.0.0.1'],
  etcd: [`--cert-file=${PKI}/etcd/server.crt`, `--key-file=${PKI}/etcd/server.key`, '--client-cert-auth=true', `--peer-cert-file=${PKI}/etcd/peer.crt`, `--peer-key-file=${PKI}/etcd/peer.key`, '--peer-client-cert-auth=true', `--trusted-ca-file=${PKI}/etcd/ca.crt`],
};
const KUBELET_CONFIG = {
  kind: 'KubeletConfiguration',
  authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: `${PKI}/ca.crt` } },
  authorization: { mode: 'Webhook' },
  readOnlyPort: 0,
  streamingConnectionIdleTimeout: '4h0m0s',
  makeIPTablesUtilChains: true,
  serverTLSBootstrap: true,
  rotateCertificates: true,
  featureGates: { RotateKubeletServerCertificate: true },
  tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305'],
  podPidsLimit: 4096,
  seccompDefault: true,
};
const KUBELET_FLAGS = ['--config=/var/lib/kubelet/config.yaml', '--kubeconfig=/etc/kubernetes/kubelet.conf'];

interface Variant {
  flags?: Partial<Record<ComponentName, string[]>>;
  /** Flags to drop, by name (`--profiling`). */
  drop?: string[];
  kubeletConfig?: Record<string, unknown> | null;
  kubeProxyConfig?: Record<string, unknown>;
  encryption?: unknown;
  env?: Record<string, string>;
}

/** A hardened control-plane node, modified by `variant`; every row passes on the unmodified node. */
function node(variant: Variant = {}): NodeInventory {
  const components: Partial<Record<ComponentName, ComponentConfig>> = {};
  for (const [name, argv] of Object.entries(HARDENED) as [ComponentName, string[]][]) {
    const extra = variant.flags?.[name] ?? [];
    const kept = argv.filter((arg) => !(variant.drop ?? []).some((flag) => arg === flag || arg.startsWith(`${flag}=`)));
    components[name] = { source: `/etc/kubernetes/manifests/${name}.yaml`, flags: parseFlags([...kept, ...extra]), env: name === 'etcd' ? (variant.env ?? {}) : {} };
  }
  const kubeletConfig = variant.kubeletConfig === undefined ? KUBELET_CONFIG : variant.kubeletConfig;
  components.kubelet = {
    source: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
    flags: parseFlags([...(kubeletConfig ? KUBELET_FLAGS : ['--kubeconfig=/etc/kubernetes/kubelet.conf']), ...(variant.flags?.kubelet ?? [])]),
    env: {},
    ...(kubeletConfig ? { config: { path: '/var/lib/kubelet/config.yaml', value: kubeletConfig } } : {}),
  };
  components['kube-proxy'] = { source: '/var/lib/kube-proxy/config.conf', flags: {}, env: {}, config: { path: '/var/lib/kube-proxy/config.conf', value: variant.kubeProxyConfig ?? { kind: 'KubeProxyConfiguration', metricsBindAddress: '127.0.0.1:10249' } } };
  return { scope: 'k8s-node:/host', nodeName: 'cp-1', components, files: {}, documents: { [ENCRYPTION]: variant.encryption ?? aescbc } };
}
const withKubelet = (patch: Record<string, unknown>) => ({ kubeletConfig: { ...KUBELET_CONFIG, ...patch } });
const withoutKey = (key: string) => ({ kubeletConfig: Object.fromEntries(Object.entries(KUBELET_CONFIG).filter(([k]) => k !== key)) });

/** Per control: extra passing variants and the failing ones (each with its own reason). */
const CASES: Record<string, { pass?: Record<string, Variant>; fail: Record<string, Variant> }> = {
  'k8s.apiserver.anonymous-auth': { fail: { 'unset defaults to true': { drop: ['--anonymous-auth'] } } },
  'k8s.apiserver.token-auth-file': { fail: { 'static tokens': { flags: { 'kube-apiserver': ['--token-auth-file=/etc/kubernetes/tokens.csv'] } } } },
  'k8s.apiserver.deny-service-external-ips': { fail: { 'plugin missing': { flags: { 'kube-apiserver': ['--enable-admission-plugins=NodeRestriction'] } } } },
  'k8s.apiserver.kubelet-client-certificate': { fail: { 'key missing': { drop: ['--kubelet-client-key'] } } },
  'k8s.apiserver.kubelet-certificate-authority': { fail: { 'no CA': { drop: ['--kubelet-certificate-authority'] } } },
  'k8s.apiserver.authorization-not-always-allow': { fail: { 'unset defaults to AlwaysAllow': { drop: ['--authorization-mode'] }, 'AlwaysAllow listed': { flags: { 'kube-apiserver': ['--authorization-mode=AlwaysAllow,RBAC'] } } } },
  'k8s.apiserver.authorization-node': { fail: { 'RBAC only': { flags: { 'kube-apiserver': ['--authorization-mode=RBAC'] } } } },
  'k8s.apiserver.authorization-rbac': { fail: { 'Node only': { flags: { 'kube-apiserver': ['--authorization-mode=Node'] } } } },
  'k8s.apiserver.event-rate-limit': { fail: { 'plugin missing': { flags: { 'kube-apiserver': ['--enable-admission-plugins=NodeRestriction'] } } } },
  'k8s.apiserver.always-admit': { fail: { 'AlwaysAdmit on': { flags: { 'kube-apiserver': ['--enable-admission-plugins=NodeRestriction,AlwaysAdmit'] } } } },
  'k8s.apiserver.always-pull-images': { fail: { 'plugin missing': { flags: { 'kube-apiserver': ['--enable-admission-plugins=NodeRestriction'] } } } },
  'k8s.apiserver.service-account-plugin': { fail: { disabled: { flags: { 'kube-apiserver': ['--disable-admission-plugins=ServiceAccount'] } } } },
  'k8s.apiserver.namespace-lifecycle-plugin': { fail: { disabled: { flags: { 'kube-apiserver': ['--disable-admission-plugins=PodNodeSelector,NamespaceLifecycle'] } } } },
  'k8s.apiserver.node-restriction': { fail: { 'plugin missing': { flags: { 'kube-apiserver': ['--enable-admission-plugins=EventRateLimit'] } } } },
  'k8s.apiserver.profiling': { fail: { 'a bare --profiling means true': { drop: ['--profiling'], flags: { 'kube-apiserver': ['--profiling'] } } } },
  'k8s.apiserver.audit-log-path': { fail: { unset: { drop: ['--audit-log-path'] } } },
  'k8s.apiserver.audit-log-maxage': { fail: { 'one week': { flags: { 'kube-apiserver': ['--audit-log-maxage=7'] } } } },
  'k8s.apiserver.audit-log-maxbackup': { fail: { three: { flags: { 'kube-apiserver': ['--audit-log-maxbackup=3'] } } } },
  'k8s.apiserver.audit-log-maxsize': { fail: { small: { flags: { 'kube-apiserver': ['--audit-log-maxsize=50'] } } } },
  'k8s.apiserver.service-account-lookup': { fail: { off: { flags: { 'kube-apiserver': ['--service-account-lookup=false'] } } } },
  'k8s.apiserver.service-account-key-file': { fail: { unset: { drop: ['--service-account-key-file'] } } },
  'k8s.apiserver.etcd-client-certificate': { fail: { 'key missing': { drop: ['--etcd-keyfile'] } } },
  'k8s.apiserver.tls-certificate': { fail: { 'key missing': { drop: ['--tls-private-key-file'] } } },
  'k8s.apiserver.client-ca-file': { fail: { unset: { drop: ['--client-ca-file'] } } },
  'k8s.apiserver.etcd-ca-file': { fail: { unset: { drop: ['--etcd-cafile'] } } },
  'k8s.apiserver.encryption-provider-config': { fail: { unset: { drop: ['--encryption-provider-config'] } } },
  'k8s.apiserver.encryption-providers': { fail: { 'identity first': { encryption: identityFirst } } },
  'k8s.apiserver.tls-cipher-suites': { fail: { 'CBC suite': { flags: { 'kube-apiserver': ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_128_CBC_SHA'] } }, unset: { drop: ['--tls-cipher-suites'] } } },
  'k8s.apiserver.service-account-extend-token-expiration': { fail: { 'unset defaults to true': { drop: ['--service-account-extend-token-expiration'] } } },
  'k8s.audit.policy-file': { fail: { unset: { drop: ['--audit-policy-file'] } } },
  'k8s.controller-manager.terminated-pod-gc-threshold': { fail: { unset: { drop: ['--terminated-pod-gc-threshold'] } } },
  'k8s.controller-manager.profiling': { fail: { 'unset defaults to true': { drop: ['--profiling'] } } },
  'k8s.controller-manager.service-account-credentials': { fail: { 'unset defaults to false': { drop: ['--use-service-account-credentials'] } } },
  'k8s.controller-manager.service-account-private-key': { fail: { unset: { drop: ['--service-account-private-key-file'] } } },
  'k8s.controller-manager.root-ca-file': { fail: { unset: { drop: ['--root-ca-file'] } } },
  'k8s.controller-manager.rotate-kubelet-server-certificate': { fail: { 'gate off': { flags: { 'kube-controller-manager': ['--feature-gates=Foo=true,RotateKubeletServerCertificate=false'] } } } },
  // kube-bench passes an unset --bind-address; the upstream default is 0.0.0.0.
  'k8s.controller-manager.bind-address': { fail: { 'unset defaults to 0.0.0.0': { drop: ['--bind-address'] } } },
  'k8s.scheduler.profiling': { fail: { on: { flags: { 'kube-scheduler': ['--profiling=true'] } } } },
  'k8s.scheduler.bind-address': { fail: { 'all interfaces': { flags: { 'kube-scheduler': ['--bind-address=0.0.0.0'] } } } },
  'k8s.etcd.client-tls': { fail: { 'key missing': { drop: ['--key-file'] } } },
  'k8s.etcd.client-cert-auth': { pass: { 'set through ETCD_CLIENT_CERT_AUTH': { drop: ['--client-cert-auth'], env: { ETCD_CLIENT_CERT_AUTH: 'true' } } }, fail: { unset: { drop: ['--client-cert-auth'] } } },
  'k8s.etcd.auto-tls': { fail: { 'auto TLS': { flags: { etcd: ['--auto-tls=true'] } } } },
  'k8s.etcd.peer-tls': { fail: { 'key missing': { drop: ['--peer-key-file'] } } },
  'k8s.etcd.peer-client-cert-auth': { fail: { off: { flags: { etcd: ['--peer-client-cert-auth=false'] } } } },
  'k8s.etcd.peer-auto-tls': { fail: { 'auto TLS': { flags: { etcd: ['--peer-auto-tls=true'] } } } },
  'k8s.etcd.unique-ca': { fail: { 'shares the API server client CA': { flags: { etcd: [`--trusted-ca-file=${PKI}/ca.crt`] } } } },
  'k8s.kubelet.anonymous-auth': { fail: { 'flag overrides the config file': { flags: { kubelet: ['--anonymous-auth=true'] } }, 'no config file: flag default true': { kubeletConfig: null } } },
  'k8s.kubelet.authorization-mode': { pass: { 'config file without the key: Webhook default': withoutKey('authorization') }, fail: { 'AlwaysAllow in config': withKubelet({ authorization: { mode: 'AlwaysAllow' } }), 'no config file: flag default AlwaysAllow': { kubeletConfig: null } } },
  'k8s.kubelet.client-ca-file': { fail: { unset: withKubelet({ authentication: { anonymous: { enabled: false } } }) } },
  'k8s.kubelet.read-only-port': { pass: { 'config default 0': withoutKey('readOnlyPort') }, fail: { 'flag opens it': { flags: { kubelet: ['--read-only-port=10255'] } } } },
  // kube-bench compares "0s" with "0" as strings and passes it.
  'k8s.kubelet.streaming-idle-timeout': { pass: { 'five minutes': withKubelet({ streamingConnectionIdleTimeout: '5m' }) }, fail: { '0s disables the timeout': withKubelet({ streamingConnectionIdleTimeout: '0s' }), '0m0s too': { flags: { kubelet: ['--streaming-connection-idle-timeout=0m0s'] } } } },
  'k8s.kubelet.iptables-util-chains': { fail: { off: withKubelet({ makeIPTablesUtilChains: false }) } },
  'k8s.kubelet.hostname-override': { fail: { overridden: { flags: { kubelet: ['--hostname-override=other'] } } } },
  'k8s.kubelet.tls-certificate': { pass: { 'explicit cert files': withKubelet({ serverTLSBootstrap: false, tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt', tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key' }) }, fail: { 'neither bootstrap nor files': withKubelet({ serverTLSBootstrap: false }) } },
  'k8s.kubelet.rotate-certificates': { fail: { off: withKubelet({ rotateCertificates: false }) } },
  'k8s.kubelet.rotate-server-certificates': { fail: { 'gate off by flag': { flags: { kubelet: ['--feature-gates=RotateKubeletServerCertificate=false'] } } } },
  'k8s.kubelet.tls-cipher-suites': { fail: { 'RSA key exchange': withKubelet({ tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'] }) } },
  // kube-bench only checks that podPidsLimit is set, so -1 (unlimited) passes there.
  'k8s.kubelet.pod-pids-limit': { fail: { '-1 is unlimited': withKubelet({ podPidsLimit: -1 }), 'unset defaults to unlimited': withoutKey('podPidsLimit') } },
  'k8s.kubelet.seccomp-default': { fail: { unset: withoutKey('seccompDefault') } },
  'k8s.kube-proxy.metrics-bind-address': { fail: { 'all interfaces': { kubeProxyConfig: { kind: 'KubeProxyConfiguration', metricsBindAddress: '0.0.0.0:10249' } } } },
};

const CONTROL_PLANE = new Set(['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd']);
const selfManaged = inventory([], 'v1.32.4');
const eks = inventory([], 'v1.32.4-eks-6a2b3c1');

describe('component flag table', () => {
  it('has test cases for exactly the controls it defines', () => {
    expect(Object.keys(CASES).sort()).toEqual(COMPONENT_FLAG_CONTROLS.map((c) => c.id).sort());
  });
});

for (const check of componentFlagChecks as unknown as AnyCheck[]) {
  const control = COMPONENT_FLAG_CONTROLS.find((c) => c.id === check.id)!;
  const cases = CASES[check.id]!;
  const failing = Object.values(cases.fail)[0]!;
  checkTester(check, {
    pass: [
      { name: 'hardened node', options: {}, inventory: { node: node(), cluster: selfManaged } },
      ...Object.entries(cases.pass ?? {}).map(([name, variant]) => ({ name, options: {}, inventory: { node: node(variant), cluster: selfManaged } })),
      { name: 'no node files configured', options: {}, inventory: { node: undefined, cluster: selfManaged } },
      ...(CONTROL_PLANE.has(control.component) ? [{ name: 'managed EKS cluster: the control plane is not ours to check', options: {}, inventory: { node: node(failing), cluster: eks } }] : []),
    ],
    fail: [
      ...Object.entries(cases.fail).map(([name, variant]) => ({
        name,
        options: {},
        inventory: { node: node(variant), cluster: selfManaged },
        findings: [{ resourceId: `node/cp-1/${control.component}`, severity: control.severity }],
      })),
    ],
  });
}

describe('settings evidence', () => {
  it('says which source set the value (flag over config file) and shows the score', () => {
    const check = (componentFlagChecks as unknown as AnyCheck[]).find((c) => c.id === 'k8s.kubelet.anonymous-auth')!;
    const [finding] = check.evaluate({ node: node({ flags: { kubelet: ['--anonymous-auth=true'] } }), cluster: selfManaged } as never, check.options.parse({}));
    expect(finding!.evidence.settings).toEqual([{ setting: '--anonymous-auth / authentication.anonymous.enabled', actual: 'true', expected: 'false', from: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf: --anonymous-auth' }]);
    expect(finding!.evidence.score).toMatchObject({ failed: 1, total: 1 });
    expect(finding!.scope).toBe('k8s-node:/host');
  });

  it('parses Go durations instead of comparing strings', () => {
    expect([parseGoDuration('0s'), parseGoDuration('0'), parseGoDuration('4h0m0s'), parseGoDuration('1h30m'), parseGoDuration('300ms'), parseGoDuration('5 minutes')]).toEqual([0, 0, 14_400_000, 5_400_000, 300, undefined]);
  });

  it('reads pflag forms: =value, separate value, bare boolean, last occurrence wins', () => {
    expect(parseFlags(['--a=1', '--b', 'two', '--profiling', '--c', '--a=3'])).toEqual({ '--a': '3', '--b': 'two', '--profiling': 'true', '--c': 'true' });
  });
});
