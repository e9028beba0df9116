import { base64url, defineRule } from './rule.js';

function decodesToJsonWith(part: string, field: string): boolean {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && field in value;
  } catch {
    return false;
  }
}

export const jsonWebToken = defineRule({
  id: 'jwt',
  provider: 'jwt',
  title: 'JSON Web Token',
  severity: 'medium',
  keywords: ['eyj'],
  pattern: /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_-])/g,
  // A signed token has a JSON header naming its algorithm; unsigned or truncated ones are not credentials.
  validate: (secret) => decodesToJsonWith(secret.split('.')[0]!, 'alg') && !/"alg"\s*:\s*"none"/i.test(Buffer.from(secret.split('.')[0]!, 'base64url').toString('utf8')),
  samples: {
    match: () => [
      `Authorization: Bearer ${[base64url('{"alg":"HS256","typ":"JWT"}'), base64url('{"sub":"svc-billing","iat":1700000000}'), 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8'].join('.')}`,
    ],
    noMatch: [[base64url('{"alg":"none"}'), base64url('{"sub":"x","iat":1}'), 'Qz7Xm2Lv9Np4Rb1Tc8Hd3'].join('.'), 'eyJhbGciOi.eyJzdWIi.sig'],
  },
});

export const jwtRules = [jsonWebToken];
