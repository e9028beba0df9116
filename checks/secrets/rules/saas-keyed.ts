import { defineRule, looksLikePlaceholder, shannonEntropy, type SecretRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e';

/**
 * Vendors whose secrets have no distinctive prefix (32 hex characters, a UUID): only the vendor's name next to the
 * assignment makes them secrets, so the name is the keyword and part of the pattern.
 */
function keyedRule(spec: { id: string; provider: string; title: string; names: readonly string[]; value: string; sample: () => string }): SecretRule {
  const names = spec.names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return defineRule({
    id: spec.id,
    provider: spec.provider,
    title: spec.title,
    severity: 'high',
    keywords: spec.names.map((n) => n.toLowerCase()),
    pattern: new RegExp(`(?:${names})[A-Za-z0-9_.-]*["'\\]]?\\s*(?:[:=]|=>)\\s*["']?(${spec.value})(?![A-Za-z0-9])`, 'gi'),
    validate: (secret) => !looksLikePlaceholder(secret) && shannonEntropy(secret) >= 3.0,
    samples: {
      match: () => [spec.sample()],
      noMatch: [`${spec.names[0]}_key = "\${SECRET}"`, `${spec.names[0]}_api_key: 00000000000000000000000000000000`],
    },
  });
}

export const saasKeyedRules = [
  keyedRule({ id: 'twilio-api-key', provider: 'twilio', title: 'Twilio API key secret or auth token', names: ['twilio'], value: '(?:SK)?[0-9a-fA-F]{32}', sample: () => `TWILIO_AUTH_TOKEN=${hex}` }),
  keyedRule({ id: 'datadog-api-key', provider: 'datadog', title: 'Datadog API or application key', names: ['datadog', 'dd_api', 'dd_app'], value: '[0-9a-f]{32}(?:[0-9a-f]{8})?', sample: () => `DD_API_KEY=${hex}` }),
  keyedRule({ id: 'heroku-api-key', provider: 'heroku', title: 'Heroku API key', names: ['heroku'], value: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', sample: () => `HEROKU_API_KEY=${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}` }),
];
