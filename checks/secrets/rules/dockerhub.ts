import { prefixedTokenRule } from './rule.js';

export const dockerhubRules = [
  prefixedTokenRule({ id: 'dockerhub-pat', provider: 'dockerhub', title: 'Docker Hub personal access token', severity: 'high', prefix: 'dckr_pat_', body: '[A-Za-z0-9_-]{27}', sample: () => 'dckr' + '_pat_' + 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0' }),
];
