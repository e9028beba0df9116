import { prefixedTokenRule } from './rule.js';

const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const pypiRules = [
  // Macaroons serialised from "pypi.org": the base64 of that header is fixed.
  prefixedTokenRule({ id: 'pypi-token', provider: 'pypi', title: 'PyPI upload token', severity: 'critical', prefix: 'pypi-AgEIcHlwaS5vcmc', body: '[A-Za-z0-9_-]{50,}', sample: () => 'pypi-' + 'AgEIcHlwaS5vcmc' + body }),
];
