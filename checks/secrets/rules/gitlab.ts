import { defineRule, shannonEntropy, type SecretRule } from './rule.js';

const random = (secret: string) => shannonEntropy(secret.slice(secret.indexOf('-') + 1)) >= 3.2;

function gitlabRule(id: string, title: string, prefix: string, body: string, sample: string): SecretRule {
  return defineRule({
    id,
    provider: 'gitlab',
    title,
    severity: 'critical',
    keywords: [prefix.toLowerCase()],
    pattern: new RegExp(`(?<![A-Za-z0-9_-])(${prefix}${body})(?![A-Za-z0-9_-])`, 'g'),
    validate: random,
    samples: {
      match: () => [`token = "${prefix.slice(0, 2)}${prefix.slice(2)}${sample}"`],
      noMatch: [`token = "${prefix}xxxxxxxxxxxxxxxxxxxx"`, `token = "${prefix}"`],
    },
  });
}

export const gitlabRules = [
  // Routable PATs (GitLab 17+) carry a `.01.<base36>` suffix after the random part.
  gitlabRule('gitlab-personal-access-token', 'GitLab personal access token', 'glpat-', '[A-Za-z0-9_-]{20,}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?', 'Zq7Xm2Lv9Np4Rb1Tc8Hd'),
  gitlabRule('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', 'glptt-', '[0-9a-f]{40}', '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a'),
  gitlabRule('gitlab-runner-token', 'GitLab runner authentication token', 'glrt-', '[A-Za-z0-9_-]{20,}(?:\\.[0-9a-z]{2}\\.[0-9a-z]{7,9})?', 'Kv3Tq8Zm1Xp6Lb9Nr2Wc'),
  gitlabRule('gitlab-runner-registration-token', 'GitLab runner registration token', 'GR1348941', '[A-Za-z0-9_-]{20}', 'Hq4Vz7Lm2Tx9Np5Rb1Kc'),
  gitlabRule('gitlab-deploy-token', 'GitLab deploy token', 'gldt-', '[A-Za-z0-9_-]{20,}', 'Wm5Rq2Xz8Lv3Tp7Nb1Hc'),
  gitlabRule('gitlab-ci-job-token', 'GitLab CI/CD job token', 'glcbt-', '(?:[0-9a-f]{1,5}_)?[A-Za-z0-9_-]{20,}', '64_Tz6Hq1Wv8Lm3Xb5Nk2R'),
  gitlabRule('gitlab-oauth-app-secret', 'GitLab OAuth application secret', 'gloas-', '[A-Za-z0-9_-]{64}', 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4E'),
  gitlabRule('gitlab-agent-token', 'GitLab agent for Kubernetes token', 'glagent-', '[A-Za-z0-9_-]{50,}', 'Lm4Rq8Xz2Tv6Np1Hb9Kc3Wd7Jf5Gs0Ya2Ue4Ti6Oo8Pl1Kj3Mh5N'),
  gitlabRule('gitlab-feed-token', 'GitLab feed token', 'glft-', '[A-Za-z0-9_-]{20,}', 'Pn3Vx7Kq1Zm5Tb9Lr2Wh'),
  gitlabRule('gitlab-incoming-mail-token', 'GitLab incoming mail token', 'glimt-', '[A-Za-z0-9_-]{25}', 'Jd6Rt2Xq9Lm4Vb8Nz1Kc5Wp3Y'),
  gitlabRule('gitlab-feature-flag-client-token', 'GitLab feature flags client token', 'glffct-', '[A-Za-z0-9_-]{20,}', 'Hs8Mq3Zv6Tx1Lb5Nr9Kw'),
  gitlabRule('gitlab-scim-token', 'GitLab SCIM OAuth token', 'glsoat-', '[A-Za-z0-9_-]{20,}', 'Ck2Wz7Rq4Xm9Tv1Lb6Nh'),
];
