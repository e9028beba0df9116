import { defineRule, shannonEntropy } from './rule.js';

// A PEM body as it appears in files (real newlines) or inside JSON/env values (literal \n escapes).
const BODY_CHARS = /[A-Za-z0-9+/=]/g;

function pemBody(raw: string): string {
  return raw.replace(/\\[nr]/g, '\n').replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
}

export const pemPrivateKey = defineRule({
  id: 'private-key',
  provider: 'pem',
  title: 'Private key (PKCS#8, RSA, EC, DSA, OpenSSH, encrypted or PGP)',
  severity: 'critical',
  keywords: ['private key'],
  pattern: /-----BEGIN (?<label>(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----(?<secret>[\s\S]{64,32768}?)-----END \k<label>-----/g,
  multiline: true,
  validate: (raw) => {
    const body = pemBody(raw);
    return (body.match(BODY_CHARS)?.length ?? 0) >= 64 && !raw.includes('...') && shannonEntropy(body) >= 4.5;
  },
  samples: {
    match: () => {
      const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';
      const lines = body.match(/.{1,64}/g)!.join('\n');
      const begin = '-----BEGIN ' + 'PRIVATE KEY-----';
      const end = '-----END ' + 'PRIVATE KEY-----';
      const beginRsa = '-----BEGIN RSA ' + 'PRIVATE KEY-----';
      const endRsa = '-----END RSA ' + 'PRIVATE KEY-----';
      return [`${begin}\n${lines}\n${end}\n`, `{"private_key": "${beginRsa}\\n${lines.replace(/\n/g, '\\n')}\\n${endRsa}\\n"}`];
    },
    noMatch: ['-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----', '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END PUBLIC KEY-----'],
  },
});

export const puttyPrivateKey = defineRule({
  id: 'putty-private-key',
  provider: 'pem',
  title: 'PuTTY private key file',
  severity: 'critical',
  keywords: ['putty-user-key-file'],
  pattern: /PuTTY-User-Key-File-[23]: [\w-]+\r?\n[\s\S]{0,2048}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=\r\n]{40,8192}?)\r?\nPrivate-MAC/g,
  multiline: true,
  validate: (raw) => shannonEntropy(raw.replace(/\s+/g, '')) >= 4.5,
  samples: {
    match: () => [
      ['PuTTY-User-Key-File-' + '3: ssh-ed25519', 'Encryption: none', 'Comment: deploy', 'Public-Lines: 2', 'AAAAC3NzaC1lZDI1NTE5AAAAIDq7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua', 'Ti6Oo8Pl1Kj3Mh5Nb7Vc9', 'Private-Lines: 1', 'AAAAIH3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op', 'Private-MAC: 3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e'].join('\n'),
    ],
    noMatch: ['PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\nPrivate-MAC: none'],
  },
});

export const ageSecretKey = defineRule({
  id: 'age-secret-key',
  provider: 'age',
  title: 'age encryption secret key',
  severity: 'critical',
  keywords: ['age-secret-key-1'],
  pattern: /(AGE-SECRET-KEY-1[0-9A-Z]{58})(?![0-9A-Z])/g,
  validate: (secret) => shannonEntropy(secret.slice(16)) >= 4,
  samples: {
    match: () => [`# created: 2024\n${'AGE-SECRET-KEY-' + '1QZ7XM2LV9NP4RB1TC8HD3JS6FG0KW5YE2UA4TI6OO8PL1KJ3MH5NB7VC9X'}`],
    noMatch: ['AGE-SECRET-KEY-1XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'],
  },
});

export const privateKeyRules = [pemPrivateKey, puttyPrivateKey, ageSecretKey];
