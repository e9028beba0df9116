import { defineRule, prefixedTokenRule, shannonEntropy } from './rule.js';

export const googleApiKey = defineRule({
  id: 'google-api-key',
  provider: 'google',
  title: 'Google / GCP API key',
  severity: 'high',
  keywords: ['aiza'],
  pattern: /(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
  validate: (secret) => shannonEntropy(secret.slice(4)) >= 3.5,
  samples: {
    match: () => [`const key = "${'AIza' + 'SyD7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2U'}";`],
    noMatch: ['AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX', 'AIzaSy-short'],
  },
});

export const googleOauthClientSecret = defineRule({
  id: 'google-oauth-client-secret',
  provider: 'google',
  title: 'Google OAuth client secret',
  severity: 'high',
  keywords: ['gocspx-'],
  pattern: /(?<![A-Za-z0-9_-])(GOCSPX-[0-9A-Za-z_-]{28})(?![A-Za-z0-9_-])/g,
  validate: (secret) => shannonEntropy(secret.slice(7)) >= 3.5,
  samples: {
    match: () => [`"client_secret": "${'GOCSPX' + '-Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0K'}"`],
    noMatch: ['"client_secret": "GOCSPX-xxxxxxxxxxxxxxxxxxxxxxxxxxxx"'],
  },
});

export const gcpServiceAccountKey = defineRule({
  id: 'gcp-service-account-key',
  provider: 'google',
  title: 'GCP service account key file (private_key_id)',
  severity: 'critical',
  keywords: ['private_key_id'],
  pattern: /"private_key_id"\s*:\s*"([0-9a-f]{40})"/g,
  validate: (secret) => shannonEntropy(secret) >= 3.0,
  samples: {
    match: () => [`{"type": "service_account", "private_key_id": "${'3f9a2c7e1b8d4f6a' + '0c5e9b2d7f1a4c8e6b3d0f5a'}"}`],
    noMatch: ['"private_key_id": "0000000000000000000000000000000000000000"', '"private_key_id": "<key id>"'],
  },
});

export const googleOauthAccessToken = prefixedTokenRule({
  id: 'google-oauth-access-token',
  provider: 'google',
  title: 'Google OAuth access token (ya29.)',
  severity: 'medium',
  prefix: 'ya29.',
  body: '[0-9A-Za-z_-]{30,}',
  sample: () => 'ya29' + '.a0AfH6SM' + 'Bq7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9',
});

export const googleOauthRefreshToken = prefixedTokenRule({
  id: 'google-oauth-refresh-token',
  provider: 'google',
  title: 'Google OAuth refresh token (1//0)',
  severity: 'high',
  prefix: '1//0',
  body: '[0-9A-Za-z_-]{40,}',
  sample: () => '1//' + '0g' + 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9-Xz2Qw4Er6',
});

export const googleRules = [googleApiKey, googleOauthClientSecret, gcpServiceAccountKey, googleOauthAccessToken, googleOauthRefreshToken];
