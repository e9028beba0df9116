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
  keywords: ['pass', 'token', 'secret', 'key', 'credential'],
  pattern: /^\s+[A-Za-z0-9_.-]*(?:passw(?:or)?d|token|secret|api[_-]?key|credentials?|private[_-]?key)[A-Za-z0-9_.-]*:\s+["']?([A-Za-z0-9+/]{8,}={0,2})["']?\s*$/gim,
  decode: decodeBase64,
  validate: (decoded) =>
    decoded.length >= 6 && /^[\x20-\x7e]+$/.test(decoded) && !looksLikePlaceholder(decoded) && !/^(?:password|secret|token|admin|root|test)\d*$/i.test(decoded) && shannonEntropy(decoded) >= 2.5,
  samples: {
    match: () => [`apiVersion: v1\nkind: Secret\ndata:\n  db-password: ${Buffer.from('hN7q' + '2Lx9vT!k').toString('base64')}\n`],
    noMatch: [`data:\n  password: ${Buffer.from('changeme').toString('base64')}\n`, 'data:\n  token: ""\n', `data:\n  api-key-rotation-days: ${Buffer.from('30').toString('base64')}\n`],
  },
});

export const kubernetesRules = [kubernetesSecretData];
