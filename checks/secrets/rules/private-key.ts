import { defineRule, shannonEntropy } from './rule.js';

// A PEM body as it appears in files (real newlines) or inside JSON/env values (literal \n escapes).
const BODY_CHARS = /[A-Za-z0-9+/=]/g;

function pemBody(raw: string): string {
  return raw.replace(/\\[nr]/g, '\n').replace(/^[A-Za-z-]+:.*$/gm, '').replace(/\s+/g, '');
}

/** One row per PEM armour label: the same block parser, a rule id (and so a finding title) per key type. */
const PEM_KINDS = [
  { id: 'private-key-pkcs8', label: 'PRIVATE KEY', title: 'PKCS#8 private key' },
  { id: 'private-key-pkcs8-encrypted', label: 'ENCRYPTED PRIVATE KEY', title: 'Encrypted PKCS#8 private key' },
  { id: 'private-key-rsa', label: 'RSA PRIVATE KEY', title: 'RSA private key (PKCS#1)' },
  { id: 'private-key-ec', label: 'EC PRIVATE KEY', title: 'EC private key (SEC 1)' },
  { id: 'private-key-dsa', label: 'DSA PRIVATE KEY', title: 'DSA private key' },
  { id: 'private-key-openssh', label: 'OPENSSH PRIVATE KEY', title: 'OpenSSH private key' },
  { id: 'private-key-pgp', label: 'PGP PRIVATE KEY BLOCK', title: 'PGP private key block' },
] as const satisfies readonly { id: string; label: string; title: string }[];

const SAMPLE_BODY = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const pemPrivateKeys = PEM_KINDS.map((kind) => {
  // "-----BEGIN " + label is split so this file never holds a whole armour line.
  const begin = '-----BEGIN ' + kind.label + '-----';
  const end = '-----END ' + kind.label + '-----';
  return defineRule({
    id: kind.id,
    provider: 'pem',
    title: kind.title,
    severity: 'critical',
    keywords: [`begin ${kind.label.toLowerCase()}`],
    pattern: new RegExp(`${begin}(?<secret>[\\s\\S]{64,32768}?)${end}`, 'g'),
    multiline: true,
    validate: (raw) => {
      const body = pemBody(raw);
      return (body.match(BODY_CHARS)?.length ?? 0) >= 64 && !raw.includes('...') && shannonEntropy(body) >= 4.5;
    },
    samples: {
      match: () => {
        const lines = SAMPLE_BODY.match(/.{1,64}/g)!.join('\n');
        const header = kind.label.startsWith('PGP') ? 'Version: GnuPG v2\n\n' : '';
        return [`${begin}\n${header}${lines}\n${end}\n`, `{"private_key": "${begin}\\n${lines.replace(/\n/g, '\\n')}\\n${end}\\n"}`];
      },
      noMatch: [`${begin}\n...\n${end}`, `${begin}\n<your key here>\n${end}`],
    },
  });
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

export const privateKeyRules = [...pemPrivateKeys, puttyPrivateKey, ageSecretKey];
