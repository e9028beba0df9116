import { defineRule, looksLikePlaceholder, shannonEntropy } from './rule.js';

function decodeBase64(value: string): string {
  return Buffer.from(value, 'base64').toString('utf8');
}

/**
 * A credential-named key under a Kubernetes Secret's `data:` holds base64; the secret is what it decodes to, so the same
 * password committed in plain text elsewhere is the same finding.
 */
export const kubernetesSecretData = defineRule({
  id: 'kubernetes-secret-data',
  provider: 'kubernetes',
  title: 'Credential in a Kubernetes Secret manifest (base64 data)',
  severity: 'high',
  // The pattern's own key words, not a bare 'key' or 'pass' (in nearly every source file).
  keywords: ['passw', 'token', 'secret', 'api_key', 'api-key', 'apikey', 'credential', 'private_key', 'private-key', 'privatekey'],
  pattern: /^[ \t]+[A-Za-z0-9_.-]{0,60}(?:passw(?:or)?d|token|secret|api[_-]?key|credentials?|private[_-]?key)[A-Za-z0-9_.-]{0,60}:\s+["']?([A-Za-z0-9+/]{8,}={0,2})["']?\s*$/gim,
  decode: decodeBase64,
  validate: (decoded) =>
    decoded.length >= 6 && /^[\x20-\x7e]+$/.test(decoded) && !looksLikePlaceholder(decoded) && !/^(?:password|secret|token|admin|root|test)\d*$/i.test(decoded) && shannonEntropy(decoded) >= 2.5,
  samples: {
    match: () => [`apiVersion: v1\nkind: Secret\ndata:\n  db-password: ${Buffer.from('hN7q' + '2Lx9vT!k').toString('base64')}\n`],
    noMatch: [`data:\n  password: ${Buffer.from('changeme').toString('base64')}\n`, 'data:\n  token: ""\n', `data:\n  api-key-rotation-days: ${Buffer.from('30').toString('base64')}\n`],
  },
});

/** A kubeconfig user's inline client key: base64 of a PEM private key, i.e. cluster credentials. */
export const kubeconfigClientKey = defineRule({
  id: 'kubeconfig-client-key',
  provider: 'kubernetes',
  title: 'Client private key embedded in a kubeconfig',
  severity: 'critical',
  keywords: ['client-key-data'],
  pattern: /client-key-data:\s*["']?([A-Za-z0-9+/]{100,}={0,2})/g,
  validate: (secret) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(decodeBase64(secret)),
  samples: {
    match: () => {
      const pem = '-----BEGIN RSA ' + 'PRIVATE KEY-----\nMIIEowIBAAKCAQEAu7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6\n-----END RSA ' + 'PRIVATE KEY-----\n';
      return [`users:\n- name: admin\n  user:\n    client-key-data: ${Buffer.from(pem).toString('base64')}\n`];
    },
    noMatch: [`    client-key-data: ${Buffer.from('not a key at all, just some configuration text that is long enough to pass').toString('base64')}`, '    client-key-data: REDACTED'],
  },
});

export const kubernetesRules = [kubeconfigClientKey, kubernetesSecretData];
