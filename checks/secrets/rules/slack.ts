import { defineRule, shannonEntropy } from './rule.js';

export const slackToken = defineRule({
  id: 'slack-token',
  provider: 'slack',
  title: 'Slack token (bot, user, app-level, refresh or config)',
  severity: 'high',
  keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xoxe', 'xapp-'],
  pattern: /(?<![A-Za-z0-9])((?:xox[abposr]|xoxe\.xox[bp]|xoxe|xapp)-(?:[0-9A-Z]+-){1,3}[0-9A-Za-z]{20,})(?![A-Za-z0-9-])/g,
  validate: (secret) => shannonEntropy(secret.slice(secret.lastIndexOf('-') + 1)) >= 3.3,
  samples: {
    match: () => [
      `SLACK_BOT_TOKEN=${'xoxb' + '-482915736024-5917364820153-Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6'}`,
      `token: ${'xoxp' + '-482915736024-482915736031-5917364820153-9f3a2c7e1b8d4f6a0c5e9b2d7f1a4c8e'}`,
      `${'xapp' + '-1-A05QZ7XM2LV-5917364820153-3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a'}`,
    ],
    noMatch: ['xoxb-your-token-here', 'xoxb-000000000000-0000000000000-xxxxxxxxxxxxxxxxxxxxxxxx', 'SLACK_TOKEN=xoxb-${TOKEN}'],
  },
});

export const slackWebhook = defineRule({
  id: 'slack-webhook',
  provider: 'slack',
  title: 'Slack incoming webhook URL',
  severity: 'medium',
  keywords: ['hooks.slack.com'],
  pattern: /(https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,}\/[AB][A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
  validate: (secret) => shannonEntropy(secret.slice(secret.lastIndexOf('/') + 1)) >= 3.3,
  samples: {
    match: () => [`url = "https://hooks.slack.com/services/${'T04QZ7XM2'}/${'B05LV9NP4RB'}/${'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6'}"`],
    noMatch: ['https://hooks.slack.com/services/TXXXXXXXX/BXXXXXXXX/XXXXXXXXXXXXXXXXXXXXXXXX', 'see https://api.slack.com/messaging/webhooks'],
  },
});

export const slackRules = [slackToken, slackWebhook];
