import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a';
const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

/** Payment and shipping providers other than Stripe (stripe.ts). */
export const paymentRules = [
  prefixedTokenRule({ id: 'square-access-token', provider: 'square', title: 'Square production access token (EAAA)', severity: 'high', prefix: 'EAAA', body: '[A-Za-z0-9_-]{60}', sample: () => 'EA' + 'AA' + body.slice(0, 60) }),
  prefixedTokenRule({ id: 'braintree-access-token', provider: 'paypal', title: 'PayPal Braintree production access token', severity: 'critical', prefix: 'access_token$production$', body: '[a-z0-9]{16}\\$[a-f0-9]{32}', minEntropy: 3.0, sample: () => 'access_token' + '$production$' + 'qz7xm2lv9np4rb1t' + '$' + hex.slice(0, 32) }),
  prefixedTokenRule({ id: 'plaid-access-token', provider: 'plaid', title: 'Plaid access token', severity: 'high', prefix: 'access-', body: '(?:production|development)-[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}', minEntropy: 3.0, keywords: ['access-production-', 'access-development-'], sample: () => 'access' + '-production-' + `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}` }),
  prefixedTokenRule({ id: 'shippo-live-token', provider: 'shippo', title: 'Shippo live API token', severity: 'high', prefix: 'shippo_live_', body: '[a-f0-9]{40}', minEntropy: 3.0, sample: () => 'shippo' + '_live_' + hex.slice(2, 42) }),
];
