import { defineRule, hasValidCrc32Tail, shannonEntropy, withCrc32Tail } from './rule.js';

export const githubToken = defineRule({
  id: 'github-token',
  provider: 'github',
  title: 'GitHub token (personal, OAuth, user-to-server, server-to-server or refresh)',
  severity: 'critical',
  keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
  pattern: /(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36})(?![A-Za-z0-9])/g,
  // The CRC32 tail tells a real token from a token-shaped string; no peer checks it (research §1).
  validate: (secret) => hasValidCrc32Tail(secret, 4),
  samples: {
    match: () => [
      `token: ${withCrc32Tail('ghp' + '_', 'R8kT2mVq9XzL4pN7wB1cY6hJ3sD5fG')}`,
      `GH=${withCrc32Tail('ghs' + '_', 'a9Zq2Wx7Lm4Np8Rt1Vb6Hc3Jd5Kf0G')}`,
      withCrc32Tail('gho' + '_', 'Kq8Tz3Xm6Pw1Lv9Nb4Rc7Hd2Js5Fg0'),
    ],
    noMatch: ['ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'ghp_R8kT2mVq9XzL4pN7wB1cY6hJ3sD5fG000000', 'ghp_short'],
  },
});

export const githubFineGrainedPat = defineRule({
  id: 'github-fine-grained-pat',
  provider: 'github',
  title: 'GitHub fine-grained personal access token',
  severity: 'critical',
  keywords: ['github_pat_'],
  pattern: /(?<![A-Za-z0-9_])(github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9])/g,
  validate: (secret) => shannonEntropy(secret.slice(11)) >= 4,
  samples: {
    match: () => [`export GH_TOKEN=${'github' + '_pat_' + '11AQ7ZK2Y0rT9mW4xV8pLc_' + 'Hq3Ns6Jd1Fb5Gk8Lz2Xv7Rt4Wm0Np9Bc3Hs6Jd1Fg5Ye8Ua2Ti4Oo7Pl0Kj'}`],
    noMatch: ['github_pat_XXXXXXXXXXXXXXXXXXXXXX_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'github_pat_<your token>'],
  },
});

export const githubRules = [githubToken, githubFineGrainedPat];
