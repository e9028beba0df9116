import { prefixedTokenRule } from './rule.js';

export const databricksRules = [
  prefixedTokenRule({ id: 'databricks-token', provider: 'databricks', title: 'Databricks personal access token', severity: 'high', prefix: 'dapi', body: '[a-f0-9]{32}(?:-\\d)?', minEntropy: 3.0, sample: () => 'dapi' + '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e' }),
];
