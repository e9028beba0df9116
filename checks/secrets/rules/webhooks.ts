import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a';
const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';
const guid = (at: number) => `${hex.slice(at, at + 8)}-${hex.slice(at + 8, at + 12)}-${hex.slice(at + 12, at + 16)}-${hex.slice(at + 16, at + 20)}-${hex.slice(at + 20, at + 32)}`;

/** Incoming-webhook URLs: the URL is the credential (anyone holding it can post into the channel). Slack's is in slack.ts. */
export const webhookRules = [
  prefixedTokenRule({
    id: 'discord-webhook',
    provider: 'discord',
    title: 'Discord webhook URL',
    severity: 'medium',
    prefix: 'https://',
    body: '(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68}',
    keywords: ['discord.com/api/webhooks', 'discordapp.com/api/webhooks'],
    sample: () => 'https://discord.com/api/' + 'webhooks/' + '1187654321098765432/' + body.slice(0, 68),
    extraNoMatch: ['https://discord.com/api/webhooks/000000000000000000/xxxxxxxx'],
  }),
  prefixedTokenRule({
    id: 'microsoft-teams-webhook',
    provider: 'microsoft',
    title: 'Microsoft Teams incoming webhook URL',
    severity: 'medium',
    prefix: 'https://',
    body: '[a-z0-9-]+\\.webhook\\.office\\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36}(?:/[A-Za-z0-9_-]+)?',
    minEntropy: 3.0,
    keywords: ['webhook.office.com/webhookb2'],
    sample: () => `https://acme.webhook.office.com/` + `webhookb2/${guid(0)}@${guid(16)}/IncomingWebhook/${hex.slice(5, 37)}/${guid(30)}`,
  }),
];
