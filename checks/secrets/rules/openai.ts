import { prefixedTokenRule } from './rule.js';

const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const openaiRules = [
  // Project and service-account keys carry the base64 of "OpenAI" (T3BlbkFJ) in the middle; legacy keys too.
  prefixedTokenRule({ id: 'openai-api-key', provider: 'openai', title: 'OpenAI API key', severity: 'critical', prefix: 'sk-', body: '(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,200}T3BlbkFJ[A-Za-z0-9_-]{20,200}', keywords: ['t3blbkfj'], sample: () => 'sk-' + 'proj-' + body.slice(0, 40) + 'T3Blbk' + 'FJ' + body.slice(40, 80) }),
  // Newer project, service-account and admin keys: the prefix alone is distinctive; a key that also carries T3BlbkFJ
  // was already taken by the rule above (earlier rules win on an overlapping span).
  prefixedTokenRule({ id: 'openai-project-key', provider: 'openai', title: 'OpenAI project, service-account or admin key', severity: 'critical', prefix: 'sk-', body: '(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}', keywords: ['sk-proj-', 'sk-svcacct-', 'sk-admin-'], sample: () => 'sk-' + 'svcacct-' + body.slice(0, 48) + '_' + body.slice(50, 100) }),
];
