import { prefixedTokenRule } from './rule.js';

const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const sendgridRules = [
  prefixedTokenRule({ id: 'sendgrid-api-key', provider: 'sendgrid', title: 'SendGrid API key', severity: 'high', prefix: 'SG.', body: '[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}', sample: () => 'SG' + '.' + body.slice(0, 22) + '.' + body.slice(22, 65) }),
];
