import { defineRule, hasValidCrc32Tail, withCrc32Tail } from './rule.js';

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

export const npmRules = [npmAccessToken];
