import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e';

export const shopifyRules = [
  prefixedTokenRule({ id: 'shopify-token', provider: 'shopify', title: 'Shopify access token or shared secret', severity: 'high', prefix: 'shp', body: '(?:at|ca|pa|ss)_[a-fA-F0-9]{32}', minEntropy: 3.0, keywords: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], sample: () => 'shp' + 'at_' + hex }),
];
