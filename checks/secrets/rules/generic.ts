import { defineRule, looksLikePlaceholder, shannonEntropy } from './rule.js';

// Values that are code, not secrets: references, calls, env lookups, identifiers, numbers, booleans.
function isCodeOrPlaceholder(value: string): boolean {
  if (looksLikePlaceholder(value)) return true;
  if (/^[$%@&*]|[()[\]{}]/.test(value)) return true;
  if (/^(?:[A-Za-z_][A-Za-z0-9_]*\.)+[A-Za-z_][A-Za-z0-9_]*$/.test(value)) return true; // config.db.password
  if (/^[a-z_-]+$/.test(value) || /^[A-Z_]+$/.test(value)) return true; // bare words and constant names
  if (/^(?:[a-z]+[A-Z][a-z]*)+$/.test(value)) return true; // camelCase identifiers
  if (/^[a-z]+(?:[/:][a-z0-9_.-]+)+$/.test(value)) return true; // names and paths of secrets, not secrets: prod/db/credentials
  if (/^\d+$/.test(value) && value.length < 16) return true;
  if (/^(?:true|false|null|none|nil|undefined|required|optional|string|bearer|basic)$/i.test(value)) return true;
  return false;
}

/** A base64 value (Kubernetes Secret data, .dockercfg) that decodes to a placeholder is a placeholder too. */
function encodesPlaceholder(value: string): boolean {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return false;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return /^[\x20-\x7e]+$/.test(decoded) && (looksLikePlaceholder(decoded) || PASSWORD_WORDS.test(decoded));
}

const PASSWORD_WORDS = /^(?:pass|passwd|pwd|pw|password|secret|user|username|test|admin|root|guest|demo|sample|default)\d{0,3}$/i;

export const secretAssignment = defineRule({
  id: 'generic-secret-assignment',
  provider: 'generic',
  title: 'Password, secret or token assigned in code or config',
  severity: 'high',
  generic: true,
  keywords: ['passw', 'passphrase', 'pwd', 'secret', 'token', 'api_key', 'apikey', 'api-key', 'access_key', 'accesskey', 'auth_key', 'credential', 'private_key'],
  pattern:
    /(?<![A-Za-z0-9])[A-Za-z0-9_.-]{0,40}(?:passw(?:or)?d|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|auth[_-]?key|credentials?|private[_-]?key)[A-Za-z0-9_.-]{0,40}["'\]]?\s*(?:=|:=|:|=>|<-)\s*(?:"([^"\s]{8,200})"|'([^'\s]{8,200})'|`([^`\s]{8,200})`|([^\s"'`,;#)]{8,200}))/gi,
  validate: (value) => !isCodeOrPlaceholder(value) && !PASSWORD_WORDS.test(value) && !encodesPlaceholder(value) && shannonEntropy(value) >= 3.0,
  samples: {
    match: () => [
      `DB_PASSWORD=${'Tq7!xz' + '2Lm9#vB'}`,
      `  client_secret: "${'9f3a2c7e' + '1b8d4f6a0c5e'}"`,
      `api_key = '${'Zr4TqW8m' + 'N2xK7vB1'}'`,
      `"password": "${'S3cur3-' + 'Pa55w0rd!'}"`,
    ],
    noMatch: [
      'password = ${DB_PASSWORD}',
      'password: changeme',
      'api_key = os.environ["API_KEY"]',
      'token = get_token()',
      'password = config.database.password',
      'token_type: bearer',
      'max_tokens = 4096',
      "password = 'xxxxxxxxxx'",
      'secret_name = "prod-db-credentials"',
      'secret_id = "prod/db/credentials"',
      'password: <your-password>',
      'const passwordField = document.getElementById',
    ],
  },
});

export const connectionUrlPassword = defineRule({
  id: 'connection-url-password',
  provider: 'generic',
  title: 'Password in a connection URL',
  severity: 'high',
  generic: true,
  keywords: ['://'],
  pattern: /(?<![A-Za-z0-9+.-])(?:[a-z][a-z0-9+.-]{1,24}):\/\/[^\s:/@"'`<>]{1,128}:([^\s@/"'`<>]{3,128})@[A-Za-z0-9._-]+/gi,
  validate: (value) => !looksLikePlaceholder(value) && !PASSWORD_WORDS.test(value) && !/^[$%{<*]/.test(value) && shannonEntropy(value) >= 2.0,
  samples: {
    match: () => [`DATABASE_URL=postgres://app:${'hN7q' + '2Lx9vT'}@db.internal:5432/app`, `redis://default:${'Zr4Tq' + 'W8mN2x'}@cache:6379/0`],
    noMatch: ['postgres://user:password@localhost/db', 'postgres://app:${DB_PASS}@db/app', 'mysql://root:****@localhost', 'https://example.com/a@b'],
  },
});

export const genericRules = [secretAssignment, connectionUrlPassword];
