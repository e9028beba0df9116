import { defineRule, hasValidCrc32Tail, shannonEntropy, withCrc32Tail } from './rule.js';

export const npmAccessToken = defineRule({
  id: 'npm-access-token',
  provider: 'npm',
  title: 'npm access token',
  severity: 'critical',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])(npm_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
  validate: (secret) => hasValidCrc32Tail(secret, 4),
  samples: {
    match: () => [`//registry.npmjs.org/:_authToken=${withCrc32Tail('npm' + '_', 'Tq7Xz2Lm9Vb4Np1Rc8Hd3Js6Fg0Kw5')}`],
    noMatch: ['npm_config_cache=/tmp/npm_cache_directory_for_builds_x', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}'],
  },
});

/** Tokens issued before the npm_ format were UUIDs; .npmrc lines still carry them as _authToken. */
export const npmLegacyAuthToken = defineRule({
  id: 'npm-legacy-auth-token',
  provider: 'npm',
  title: 'npm legacy (UUID) auth token in .npmrc',
  severity: 'high',
  keywords: ['_authtoken'],
  pattern: /_authToken\s*=\s*["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f-])/gi,
  validate: (secret) => shannonEntropy(secret.replace(/-/g, '')) >= 3.0,
  samples: {
    match: () => [`//registry.npmjs.org/:_authToken=${'3f9a2c7e' + '-1b8d-4f6a-0c5e-9b2d7f1a4c8e'}`],
    noMatch: ['//registry.npmjs.org/:_authToken=00000000-0000-0000-0000-000000000000', '//registry.npmjs.org/:_authToken=${NPM_TOKEN}'],
  },
});

export const npmRules = [npmAccessToken, npmLegacyAuthToken];
