import { aiProviderRules } from './ai-providers.js';
import { developerPlatformRules } from './developer-platforms.js';
import { kubernetesRules } from './kubernetes.js';
import { paymentRules } from './payments.js';
import { webhookRules } from './webhooks.js';
import { saasKeyedRules } from './saas-keyed.js';
import { saasPrefixedRules } from './saas-prefixed.js';
import { credentialFileRules } from './credential-files.js';
import { ssnRules } from './ssn.js';
import { anthropicRules } from './anthropic.js';
import { databricksRules } from './databricks.js';
import { digitaloceanRules } from './digitalocean.js';
import { dockerhubRules } from './dockerhub.js';
import { huggingfaceRules } from './huggingface.js';
import { openaiRules } from './openai.js';
import { pypiRules } from './pypi.js';
import { sendgridRules } from './sendgrid.js';
import { shopifyRules } from './shopify.js';
import { vaultRules } from './vault.js';
import { awsRules } from './aws.js';
import { genericRules } from './generic.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';
import { googleRules } from './google.js';
import { jwtRules } from './jwt.js';
import { npmRules } from './npm.js';
import { privateKeyRules } from './private-key.js';
import type { SecretRule } from './rule.js';
import { slackRules } from './slack.js';
import { stripeRules } from './stripe.js';

/** Every detector, provider-specific first: on an overlapping span the earlier rule wins over a generic one. */
export const SECRET_RULES: readonly SecretRule[] = Object.freeze([
  ...awsRules,
  ...githubRules,
  ...gitlabRules,
  ...googleRules,
  ...npmRules,
  ...privateKeyRules,
  ...slackRules,
  ...stripeRules,
  ...anthropicRules,
  ...databricksRules,
  ...digitaloceanRules,
  ...dockerhubRules,
  ...huggingfaceRules,
  ...openaiRules,
  ...pypiRules,
  ...sendgridRules,
  ...shopifyRules,
  ...vaultRules,
  ...saasPrefixedRules,
  ...developerPlatformRules,
  ...aiProviderRules,
  ...paymentRules,
  ...webhookRules,
  ...saasKeyedRules,
  ...credentialFileRules,
  ...ssnRules,
  ...kubernetesRules,
  ...jwtRules,
  ...genericRules,
]);

const ids = new Set<string>();
for (const rule of SECRET_RULES) {
  if (ids.has(rule.id)) throw new Error(`duplicate secret rule id '${rule.id}'`);
  ids.add(rule.id);
}
