import { defineRule, looksLikePlaceholder, shannonEntropy } from './rule.js';

export const netrcPassword = defineRule({
  id: 'netrc-password',
  provider: 'credentials-file',
  title: 'Password in a .netrc entry',
  severity: 'high',
  keywords: ['machine'],
  // An entry is usually spread over lines (machine / login / password), so the rule reads the whole file.
  pattern: /machine[ \t]+\S+\s+login[ \t]+\S+\s+password[ \t]+(\S{4,})/g,
  multiline: true,
  validate: (secret) => !looksLikePlaceholder(secret) && shannonEntropy(secret) >= 2.5,
  samples: {
    match: () => [`machine api.example.test login deploy password ${'hN7q' + '2Lx9vT!k'}`, `machine ci.example.test\n  login deploy\n  password ${'Zr4T' + 'qW8mN2x'}\n`],
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

/** `Authorization: Basic base64(user:password)` in scripts, HTTP fixtures and CI files. */
export const httpBasicAuthHeader = defineRule({
  id: 'http-basic-auth-header',
  provider: 'credentials-file',
  title: 'Credentials in an HTTP Basic Authorization header',
  severity: 'high',
  keywords: ['basic '],
  pattern: /authorization["']?\s*[:=]\s*["']?basic\s+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/gi,
  decode: (captured) => Buffer.from(captured, 'base64').toString('utf8'),
  validate: (decoded) => {
    const colon = decoded.indexOf(':');
    const password = decoded.slice(colon + 1);
    return colon > 0 && /^[\x20-\x7e]+$/.test(decoded) && password.length >= 6 && !looksLikePlaceholder(password) && !/^(?:pass(?:word)?|secret|test|admin)\d*$/i.test(password) && shannonEntropy(password) >= 2.5;
  },
  samples: {
    match: () => [`curl -H "Authorization: Basic ${Buffer.from('deploy' + ':' + 'hN7q' + '2Lx9vT!k').toString('base64')}" https://ci.example.test`],
    noMatch: [`Authorization: Basic ${Buffer.from('user:password').toString('base64')}`, 'Authorization: Basic ${CREDENTIALS}', `Authorization: Basic ${Buffer.from('admin:changeme').toString('base64')}`],
  },
});

export const credentialFileRules = [netrcPassword, dockerConfigAuth, httpBasicAuthHeader];
