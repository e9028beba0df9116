import { describe, expect, it } from 'vitest';
import { SECRET_RULES } from '../../../checks/secrets/rules/index.js';
import { createSecretScanner } from '../../../checks/secrets/scan/secret-scanner.js';

const scanner = createSecretScanner(SECRET_RULES);

describe('secret rules: every rule runs its own samples', () => {
  it('has at least 80 rules, covering every provider the issue names, with unique ids and samples on both sides', () => {
    expect(SECRET_RULES.length).toBeGreaterThanOrEqual(80);
    const providers = new Set(SECRET_RULES.map((rule) => rule.provider));
    for (const provider of ['pem', 'aws', 'google', 'azure', 'github', 'gitlab', 'slack', 'heroku', 'facebook', 'twitter', 'stripe', 'twilio', 'sendgrid', 'mailgun', 'npm', 'pypi', 'dockerhub', 'shopify', 'atlassian', 'datadog', 'square', 'mailchimp', 'telegram', 'digitalocean', 'alibaba', 'databricks', 'hashicorp', 'openai', 'anthropic', 'huggingface', 'jwt', 'credentials-file', 'kubernetes', 'age', 'generic', 'pii']) {
      expect(providers.has(provider), provider).toBe(true);
    }
    const ids = new Set(SECRET_RULES.map((rule) => rule.id));
    for (const id of ['private-key-pkcs8', 'private-key-rsa', 'private-key-ec', 'private-key-dsa', 'private-key-openssh', 'private-key-pgp', 'putty-private-key', 'aws-session-token', 'gcp-service-account-key', 'azure-storage-account-key', 'azure-ad-client-secret', 'google-oauth-client-secret', 'gitlab-pipeline-trigger-token', 'gitlab-runner-token', 'gitlab-deploy-token', 'slack-webhook', 'netrc-password', 'docker-config-auth', 'kubernetes-secret-data', 'connection-url-password', 'us-ssn']) {
      expect(ids.has(id), id).toBe(true);
    }
    expect(new Set(SECRET_RULES.map((rule) => rule.id)).size).toBe(SECRET_RULES.length);
    for (const rule of SECRET_RULES) {
      expect(rule.samples.match().length, rule.id).toBeGreaterThan(0);
      expect(rule.samples.noMatch.length, rule.id).toBeGreaterThan(0);
    }
  });

  for (const rule of SECRET_RULES) {
    describe(rule.id, () => {
      it('matches every positive sample, and only through redacted values', () => {
        for (const sample of rule.samples.match()) {
          const found = scanner.scanText(sample);
          expect(found.map((match) => match.ruleId), sample.slice(0, 40)).toContain(rule.id);
          const printed = JSON.stringify(found);
          // No 12-character window of the sample survives into what the scanner hands out.
          for (let i = 0; i + 12 <= sample.length; i += 4) {
            const window = sample.slice(i, i + 12);
            if (/^[A-Za-z0-9+/_-]{12}$/.test(window)) expect(printed.includes(window), `leaked '${window.slice(0, 3)}…'`).toBe(false);
          }
        }
      });
      it('flags no near-miss sample with any rule', () => {
        for (const sample of rule.samples.noMatch) {
          expect(scanner.scanText(sample).map((match) => match.ruleId), sample).toEqual([]);
        }
      });
    });
  }

  it('reports line and column of a secret deep in a text, and honours the vigil:allow marker', () => {
    const token = SECRET_RULES.find((rule) => rule.id === 'github-token')!.samples.match()[2]!;
    const text = `line one\nline two\n  x = "${token}"\n`;
    expect(scanner.scanText(text)).toMatchObject([{ ruleId: 'github-token', line: 3, column: 8 }]);
    expect(scanner.scanText(`x = "${token}" # vigil:allow\n`)).toEqual([]);
  });

  it('stays linear on a megabyte-long line of identifiers full of keywords (no regex backtracking blow-up)', () => {
    const line = Array.from({ length: 10_000 }, (_, i) => `a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_a_b_c_d_e_f_g_h_i_j_k_token${i}_`).join('');
    const token = SECRET_RULES.find((rule) => rule.id === 'github-token')!.samples.match()[2]!;
    const before = process.cpuUsage().user;
    const found = scanner.scanText(`${line} ${token}\n`);
    // 11.5 s of CPU with unbounded identifier runs in the patterns; about 0.6 s bounded.
    expect((process.cpuUsage().user - before) / 1e6).toBeLessThan(4);
    expect(found.map((match) => match.ruleId)).toEqual(['github-token']);
  });

  it('lets a provider rule win over the generic assignment rule on the same value', () => {
    const sample = SECRET_RULES.find((rule) => rule.id === 'aws-secret-access-key')!.samples.match()[0]!;
    expect(scanner.scanText(sample).map((match) => match.ruleId)).toEqual(['aws-secret-access-key']);
  });
});
