import { defineRule, looksLikePlaceholder, shannonEntropy } from './rule.js';

export const netrcPassword = defineRule({
  id: 'netrc-password',
  provider: 'credentials-file',
  title: 'Password in a .netrc entry',
  severity: 'high',
  keywords: ['machine'],
  pattern: /machine\s+\S+\s+login\s+\S+\s+password\s+(\S{4,})/g,
  validate: (secret) => !looksLikePlaceholder(secret) && shannonEntropy(secret) >= 2.5,
  samples: {
    match: () => [`machine api.example.test login deploy password ${'hN7q' + '2Lx9vT!k'}`],
    noMatch: ['machine example.com login me password <password>', 'machine learning login page'],
  },
});

export const dockerConfigAuth = defineRule({
  id: 'docker-config-auth',
  provider: 'credentials-file',
  title: 'Registry credentials in a Docker config.json auths entry',
  severity: 'high',
  keywords: ['"auth"'],
  pattern: /"auth"\s*:\s*"([A-Za-z0-9+/]{12,}={0,2})"/g,
  // The value is base64("user:password"): anything else is not a registry credential.
  validate: (secret) => {
    const decoded = Buffer.from(secret, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon > 0 && colon < decoded.length - 3 && !looksLikePlaceholder(decoded.slice(colon + 1)) && /^[\x20-\x7e]+$/.test(decoded);
  },
  samples: {
    match: () => [`{"auths": {"registry.example.test": {"auth": "${Buffer.from('ci-bot' + ':' + 'Zr4Tq' + 'W8mN2xK7').toString('base64')}"}}}`],
    noMatch: ['{"auths": {"r": {"auth": ""}}}', `{"auth": "${Buffer.from('just-a-string-no-colon').toString('base64')}"}`],
  },
});

export const credentialFileRules = [netrcPassword, dockerConfigAuth];
