import { prefixedTokenRule } from './rule.js';

const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const anthropicRules = [
  prefixedTokenRule({ id: 'anthropic-api-key', provider: 'anthropic', title: 'Anthropic API key', severity: 'critical', prefix: 'sk-ant-', body: '(?:api|admin)\\d{2}-[A-Za-z0-9_-]{80,120}', sample: () => 'sk-' + 'ant-api03-' + (body + body).slice(0, 93) + 'AA' }),
];
