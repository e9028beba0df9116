import { prefixedTokenRule } from './rule.js';

const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const vaultRules = [
  prefixedTokenRule({ id: 'vault-token', provider: 'hashicorp', title: 'HashiCorp Vault service or batch token', severity: 'critical', prefix: 'hv', body: '[sb]\\.[A-Za-z0-9_-]{90,}', keywords: ['hvs.', 'hvb.'], sample: () => 'hvs' + '.' + (body + body).slice(0, 95) }),
];
