import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a';

export const digitaloceanRules = [
  prefixedTokenRule({ id: 'digitalocean-token', provider: 'digitalocean', title: 'DigitalOcean personal access or OAuth token', severity: 'critical', prefix: 'do', body: '[opr]_v1_[a-f0-9]{64}', minEntropy: 3.0, keywords: ['dop_v1_', 'doo_v1_', 'dor_v1_'], sample: () => 'dop' + '_v1_' + hex }),
];
