import { defineRule, shannonEntropy } from './rule.js';

const random = (secret: string) => shannonEntropy(secret.slice(secret.lastIndexOf('_') + 1)) >= 3.5;

export const stripeLiveKey = defineRule({
  id: 'stripe-live-key',
  provider: 'stripe',
  title: 'Stripe live secret or restricted key',
  severity: 'critical',
  keywords: ['sk_live_', 'rk_live_'],
  pattern: /(?<![A-Za-z0-9])([sr]k_live_[0-9A-Za-z]{24,247})(?![A-Za-z0-9])/g,
  validate: random,
  samples: {
    match: () => [`STRIPE_KEY=${'sk_' + 'live_' + '51Hq4Vz7Lm2Tx9Np5Rb1Kc8Wd3Jf6Gh0Ys'}`],
    noMatch: ['sk_live_xxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'pk_live_51Hq4Vz7Lm2Tx9Np5Rb1Kc8Wd3Jf6Gh0Ys'],
  },
});

export const stripeTestKey = defineRule({
  id: 'stripe-test-key',
  provider: 'stripe',
  title: 'Stripe test-mode secret key',
  severity: 'low',
  keywords: ['sk_test_', 'rk_test_'],
  pattern: /(?<![A-Za-z0-9])([sr]k_test_[0-9A-Za-z]{24,247})(?![A-Za-z0-9])/g,
  validate: random,
  samples: {
    match: () => [`Stripe.api_key = "${'sk_' + 'test_' + '4eC39HqLyjWDarjtT1zdp7dcXz9Lm2'}"`],
    noMatch: ['sk_test_000000000000000000000000'],
  },
});

export const stripeWebhookSecret = defineRule({
  id: 'stripe-webhook-secret',
  provider: 'stripe',
  title: 'Stripe webhook signing secret',
  severity: 'high',
  keywords: ['whsec_'],
  pattern: /(?<![A-Za-z0-9])(whsec_[0-9A-Za-z]{32,64})(?![A-Za-z0-9])/g,
  validate: random,
  samples: {
    match: () => [`STRIPE_WEBHOOK_SECRET=${'whsec' + '_Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua'}`],
    noMatch: ['whsec_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
  },
});

export const stripeRules = [stripeLiveKey, stripeTestKey, stripeWebhookSecret];
