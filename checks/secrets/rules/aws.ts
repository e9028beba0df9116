import { defineRule, shannonEntropy } from './rule.js';

// Documentation keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY) end in EXAMPLE/EXAMPLEKEY.
const notExample = (secret: string) => !/EXAMPLE/.test(secret);

export const awsAccessKeyId = defineRule({
  id: 'aws-access-key-id',
  provider: 'aws',
  title: 'AWS access key id',
  severity: 'high',
  keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
  pattern: /(?<![A-Za-z0-9])((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])/g,
  validate: (secret) => notExample(secret) && shannonEntropy(secret.slice(4)) >= 2.5,
  samples: {
    match: () => [`aws_access_key_id = ${'AKIA' + 'Q3VZ7XK2M5PLR4TW'}`, `"AccessKeyId": "${'ASIA' + 'ZT6M2QXN7VBK3RPL'}"`],
    noMatch: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIAXXXXXXXXXXXXXXXX', 'id = AKIA123'],
  },
});

export const awsSecretAccessKey = defineRule({
  id: 'aws-secret-access-key',
  provider: 'aws',
  title: 'AWS secret access key',
  severity: 'critical',
  keywords: ['secret_access', 'secretaccess', 'secret-access', 'aws_secret', 'aws-secret', 'awssecret', 'secret_key'],
  pattern:
    /(?:aws[_-]?secret[_-]?(?:access[_-]?)?key|secret[_-]?access[_-]?key|aws[_-]?secret|secret_key)["'\]]?\s*(?:[:=]|=>|:=)\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/gi,
  entropy: 4.0,
  validate: notExample,
  samples: {
    match: () => [
      `AWS_SECRET_ACCESS_KEY=${'k9Qz3/Lm7Vx' + 'T2pR8sW+4nYb6cJ1dHf0gE5aUiOqX'}`,
      `"SecretAccessKey": "${'Zr4TqW8mN2' + 'xK7vB1pL9sD3+fH6jC0gY5eA/uRoTw'}"`,
    ],
    noMatch: ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = ${AWS_SECRET}', 'secret_key = os.environ["AWS"]'],
  },
});

export const awsSessionToken = defineRule({
  id: 'aws-session-token',
  provider: 'aws',
  title: 'AWS session token',
  severity: 'high',
  keywords: ['session_token', 'sessiontoken', 'session-token', 'iqojb3jpz2lu'],
  pattern: /(?:session[_-]?token["'\]]?\s*(?:[:=]|=>)\s*["']?([A-Za-z0-9/+=]{100,})|(IQoJb3JpZ2lu[A-Za-z0-9/+=]{100,}))/gi,
  entropy: 4.5,
  samples: {
    match: () => [`aws_session_token = ${'IQoJb3JpZ2lu' + 'X2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD7'.repeat(1) + 'kq9Lz2Xv8Rt4Wm1Np6Bc3Hs5Jd7Fg0Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8'}`],
    noMatch: ['aws_session_token = ${AWS_SESSION_TOKEN}', 'session_token: null'],
  },
});

export const awsRules = [awsAccessKeyId, awsSecretAccessKey, awsSessionToken];
