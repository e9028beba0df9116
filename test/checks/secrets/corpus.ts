import { createHash } from 'node:crypto';
import { withCrc32Tail } from '../../../checks/secrets/rules/rule.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HEX = '0123456789abcdef';
const UPPER_NUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const B64 = ALNUM + '+/';
const URLSAFE = ALNUM + '_-';

/** Deterministic pseudo-random characters, so a corpus line is the same on every run and never a literal here. */
export function chars(seed: string, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}/${round}`).digest()) out += alphabet[byte % alphabet.length];
  }
  return out.slice(0, length);
}

const uuid = (seed: string) => {
  const h = chars(seed, 32, HEX);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};
const b64 = (text: string) => Buffer.from(text).toString('base64');

/**
 * Realistic lines carrying a live-looking credential, one generator per format, in the settings people commit them in
 * (.env, YAML, JSON, code, shell). Each call with a new seed gives a new secret: the rules are tested against formats,
 * not against the strings in their own samples.
 */
export const POSITIVE_GENERATORS: Record<string, (s: string) => string> = {
  'aws key id': (s) => `aws_access_key_id = ${'AK' + 'IA' + chars(s, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`,
  'aws secret': (s) => `AWS_SECRET_ACCESS_KEY="${chars(s, 40, B64)}"`,
  'github classic': (s) => `const token = '${withCrc32Tail('gh' + 'p_', chars(s, 30))}';`,
  'github server': (s) => `GH_TOKEN: ${withCrc32Tail('gh' + 's_', chars(s, 30))}`,
  'github fine-grained': (s) => `export GITHUB_TOKEN=${'github' + '_pat_' + chars(s, 22) + '_' + chars(s + 'b', 59)}`,
  'gitlab pat': (s) => `private_token: ${'glpat' + '-' + chars(s, 20, URLSAFE)}`,
  'gitlab runner': (s) => `token = "${'glrt' + '-' + chars(s, 20, URLSAFE)}"`,
  'gitlab trigger': (s) => `TRIGGER=${'glptt' + '-' + chars(s, 40, HEX)}`,
  'gitlab deploy': (s) => `password: ${'gldt' + '-' + chars(s, 20, URLSAFE)}`,
  'slack bot': (s) => `SLACK_BOT_TOKEN=${'xo' + 'xb-' + chars(s, 12, '0123456789') + '-' + chars(s + 'x', 13, '0123456789') + '-' + chars(s + 'y', 24)}`,
  'slack webhook': (s) => `webhook_url: https://hooks.slack.com/services/T${chars(s, 8, UPPER_NUM)}/B${chars(s + 'b', 10, UPPER_NUM)}/${chars(s + 'c', 24)}`,
  'stripe live': (s) => `stripe.api_key = "${'sk' + '_live_' + chars(s, 99)}"`,
  'stripe restricted': (s) => `STRIPE_KEY=${'rk' + '_live_' + chars(s, 24)}`,
  'stripe webhook': (s) => `STRIPE_WEBHOOK_SECRET=${'wh' + 'sec_' + chars(s, 32)}`,
  'google api key': (s) => `"apiKey": "${'AI' + 'za' + chars(s, 35, URLSAFE)}",`,
  'google oauth secret': (s) => `client_secret: ${'GOC' + 'SPX-' + chars(s, 28, URLSAFE)}`,
  'gcp service account': (s) => `  "private_key_id": "${chars(s, 40, HEX)}",`,
  'npm token': (s) => `//registry.npmjs.org/:_authToken=${withCrc32Tail('np' + 'm_', chars(s, 30))}`,
  'pypi token': (s) => `password = ${'py' + 'pi-AgEIcHlwaS5vcmc' + chars(s, 70, URLSAFE)}`,
  'dockerhub pat': (s) => `DOCKER_PASSWORD=${'dckr' + '_pat_' + chars(s, 27, URLSAFE)}`,
  'sendgrid': (s) => `SENDGRID_API_KEY=${'S' + 'G.' + chars(s, 22, URLSAFE) + '.' + chars(s + 'b', 43, URLSAFE)}`,
  'openai project': (s) => `OPENAI_API_KEY=${'sk' + '-proj-' + chars(s, 74, URLSAFE) + 'T3Blbk' + 'FJ' + chars(s + 'b', 74, URLSAFE)}`,
  'openai legacy': (s) => `openai.api_key = "${'sk' + '-' + chars(s, 20) + 'T3Blbk' + 'FJ' + chars(s + 'b', 20)}"`,
  'anthropic': (s) => `ANTHROPIC_API_KEY=${'sk' + '-ant-api03-' + chars(s, 93, URLSAFE) + 'AA'}`,
  'huggingface': (s) => `HF_TOKEN=${'h' + 'f_' + chars(s, 34, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz')}`,
  'shopify': (s) => `SHOPIFY_ACCESS_TOKEN=${'shp' + 'at_' + chars(s, 32, HEX)}`,
  'digitalocean': (s) => `DIGITALOCEAN_TOKEN=${'do' + 'p_v1_' + chars(s, 64, HEX)}`,
  'databricks': (s) => `DATABRICKS_TOKEN=${'da' + 'pi' + chars(s, 32, HEX)}`,
  'vault': (s) => `VAULT_TOKEN=${'hv' + 's.' + chars(s, 95, URLSAFE)}`,
  'twilio': (s) => `TWILIO_AUTH_TOKEN=${chars(s, 32, HEX)}`,
  'datadog': (s) => `DD_API_KEY: "${chars(s, 32, HEX)}"`,
  'heroku': (s) => `HEROKU_API_KEY=${uuid(s)}`,
  'mailgun': (s) => `MAILGUN_KEY=${'ke' + 'y-' + chars(s, 32, HEX)}`,
  'mailchimp': (s) => `MAILCHIMP_API_KEY=${chars(s, 32, HEX)}-us${(chars(s, 1, '123456789'))}`,
  'telegram': (s) => `TELEGRAM_BOT_TOKEN=${chars(s, 10, '0123456789')}:AA${chars(s + 'b', 33, URLSAFE)}`,
  'square': (s) => `SQUARE_ACCESS_TOKEN=${'EA' + 'AA' + chars(s, 60, URLSAFE)}`,
  'facebook token': (s) => `FB_ACCESS_TOKEN=${'EA' + 'AB' + chars(s, 180)}`,
  'atlassian': (s) => `JIRA_API_TOKEN=${'ATA' + 'TT3' + chars(s, 183, URLSAFE)}`,
  'alibaba id': (s) => `ALIBABA_ACCESS_KEY_ID=${'LT' + 'AI' + chars(s, 20)}`,
  'azure storage': (s) => `"ConnectionString": "DefaultEndpointsProtocol=https;AccountName=acme;${'Account' + 'Key='}${chars(s, 86, ALNUM + '+/')}==;EndpointSuffix=core.windows.net"`,
  'azure ad secret': (s) => `AZURE_CLIENT_SECRET=${chars(s, 3, URLSAFE.replace('-', ''))}${chars(s, 1, '0123456789')}${'Q' + '~'}${chars(s + 'b', 34, ALNUM + '_~.-')}`,
  'private key rsa': (s) => ['-----BEGIN RSA ' + 'PRIVATE KEY-----', ...(chars(s, 64 * 12, B64).match(/.{64}/g) ?? []), '-----END RSA ' + 'PRIVATE KEY-----'].join('\n'),
  'private key openssh': (s) => ['-----BEGIN OPENSSH ' + 'PRIVATE KEY-----', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW', ...(chars(s, 70 * 5, B64).match(/.{70}/g) ?? []), '-----END OPENSSH ' + 'PRIVATE KEY-----'].join('\n'),
  'jwt': (s) => `Authorization: Bearer ${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString('base64url')}.${Buffer.from(`{"sub":"${chars(s, 8)}","exp":1900000000}`).toString('base64url')}.${chars(s, 86, URLSAFE)}`,
  'postgres url': (s) => `DATABASE_URL=postgresql://app_user:${chars(s, 16)}@db.internal:5432/app`,
  'password assignment': (s) => `db_password: "${chars(s, 12)}#${chars(s + 'b', 4)}"`,
  'k8s secret': (s) => `apiVersion: v1\nkind: Secret\ndata:\n  DB_PASSWORD: ${b64(chars(s, 14) + '!')}`,
  'netrc': (s) => `machine api.heroku.com\n  login ops@example.test\n  password ${chars(s, 18)}`,
  'docker auths': (s) => `{"auths":{"ghcr.io":{"auth":"${b64('ci-bot:' + chars(s, 20))}"}}}`,
  'age key': (s) => `${'AGE-SECRET' + '-KEY-1'}${chars(s, 58, 'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L')}`,
  'ssn': (s) => `"ssn": "${(100 + (parseInt(chars(s, 4, HEX), 16) % 565)).toString().padStart(3, '0')}-${(10 + (parseInt(chars(s, 2, HEX), 16) % 89)).toString()}-${(1000 + (parseInt(chars(s + 'z', 4, HEX), 16) % 8999)).toString()}"`,
};

/**
 * Lines that look like secrets and are not: templates, documentation keys, masked values, hashes, ids, code
 * references. Any hit on these is a false positive.
 */
export const NEAR_MISSES: readonly string[] = [
  'GITHUB_TOKEN=${{ secrets.GITHUB_TOKEN }}',
  'password: ${DB_PASSWORD}',
  'api_key = os.environ["OPENAI_API_KEY"]',
  'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'DB_PASSWORD=changeme',
  'password = "<your-password-here>"',
  'token: xxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'STRIPE_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
  'stripe_key = "sk_test_' + '0'.repeat(24) + '"',
  'const passwordInput = document.querySelector("#password");',
  'if (token === undefined) throw new Error("missing token");',
  'secret_name = "prod/db/credentials"',
  'password_min_length = 12',
  'max_tokens: 4096',
  'token_type: "bearer"',
  'commit 3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a',
  '"integrity": "sha512-' + 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm==",',
  'resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c"',
  'id: 123e4567-e89b-12d3-a456-426614174000',
  'request_id = "8f14e45fceea167a5a36dedd4bea2543"',
  'ghp_' + 'R8kT2mVq9XzL4pN7wB1cY6hJ3sD5fG' + '000000',
  'npm_' + 'Tq7Xz2Lm9Vb4Np1Rc8Hd3Js6Fg0Kw5' + 'abcdef',
  'postgres://user:password@localhost:5432/db',
  'mysql://root:${MYSQL_ROOT_PASSWORD}@db/app',
  'redis://:@localhost:6379',
  'https://user@example.com/path',
  'ssn: 000-12-3456',
  'SSN = 666-45-1234',
  'Social Security Number: 123-45-6789',
  'phone: 555-12-3456',
  '-----BEGIN PUBLIC KEY-----',
  '-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UEChMJQmFsdGltb3JlMRMw\n-----END CERTIFICATE-----',
  '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----',
  'password: "********"',
  'api_key: "REDACTED"',
  'client_secret: "{{ .Values.clientSecret }}"',
  'token = get_token(session)',
  'self.password = password',
  'password = hashlib.sha256(raw).hexdigest()',
  'apikey: process.env.API_KEY',
  'secret: !vault |',
  'AUTH_TOKEN=%(auth_token)s',
  'TOKEN=$(cat /run/secrets/token)',
  'access_key = config.get("aws", "access_key")',
  'pk_live_51Hq4Vz7Lm2Tx9Np5Rb1Kc8Wd3Jf6Gh0Ys',
  'xoxb-your-bot-token',
  'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  'AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'sha256:' + '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a',
  'image: nginx@sha256:3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a',
  '"version": "1.2.3", "key": "value"',
  'keyboard_layout = "dvorak"',
  'passport_number_field = "passport"',
  'data:\n  password: ' + Buffer.from('password').toString('base64'),
  '<input type="password" name="password" autocomplete="current-password">',
  'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
  'PASSWORD_RESET_TIMEOUT=3600',
  'tokenizer = AutoTokenizer.from_pretrained("bert-base-uncased")',
  '// TODO: rotate the secret key before release',
];
