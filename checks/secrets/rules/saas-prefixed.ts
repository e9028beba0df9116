import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e';
const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

export const saasPrefixedRules = [
  prefixedTokenRule({ id: 'mailgun-api-key', provider: 'mailgun', title: 'Mailgun API key', severity: 'high', prefix: 'key-', body: '[0-9a-f]{32}', minEntropy: 3.0, sample: () => 'key' + '-' + hex }),
  prefixedTokenRule({ id: 'mailchimp-api-key', provider: 'mailchimp', title: 'Mailchimp API key', severity: 'high', prefix: '', body: '[0-9a-f]{32}-us[0-9]{1,2}', minEntropy: 3.0, keywords: ['-us1', '-us2', '-us3', '-us4', '-us5', '-us6', '-us7', '-us8', '-us9', '-us0'], sample: () => hex + '-' + 'us14' }),
  prefixedTokenRule({ id: 'telegram-bot-token', provider: 'telegram', title: 'Telegram bot token', severity: 'high', prefix: '', body: '[0-9]{8,10}:AA[0-9A-Za-z_-]{33}', keywords: [':aa'], sample: () => '7481926350' + ':AA' + body.slice(0, 33) }),
  prefixedTokenRule({ id: 'heroku-platform-token', provider: 'heroku', title: 'Heroku platform API token', severity: 'high', prefix: 'HRKU-', body: '[A-Za-z0-9_-]{60}', sample: () => 'HRKU' + '-' + body.slice(0, 60) }),
  prefixedTokenRule({ id: 'square-token', provider: 'square', title: 'Square access token or OAuth secret', severity: 'high', prefix: 'sq0', body: '(?:atp|csp)-[0-9A-Za-z_-]{22,43}', keywords: ['sq0atp-', 'sq0csp-'], sample: () => 'sq0' + 'csp-' + body.slice(0, 43) }),
  prefixedTokenRule({ id: 'facebook-access-token', provider: 'facebook', title: 'Facebook access token', severity: 'high', prefix: 'EAACEdEose0cBA', body: '[0-9A-Za-z]{30,}', sample: () => 'EAACEd' + 'Eose0cBA' + body.slice(0, 60).replace(/[^0-9A-Za-z]/g, '') }),
  // Graph API user and page tokens: "EAA" and the app's marker, then a long random run (Square's EAAA tokens are 64).
  prefixedTokenRule({ id: 'facebook-graph-token', provider: 'facebook', title: 'Facebook / Meta Graph API access token', severity: 'high', prefix: 'EAA', body: '[A-Za-z0-9]{90,255}', sample: () => 'EA' + 'AGm0PX4ZCpsBA' + (body + body).replace(/[^0-9A-Za-z]/g, '').slice(0, 150) }),
  prefixedTokenRule({ id: 'twitter-bearer-token', provider: 'twitter', title: 'Twitter/X app bearer token', severity: 'high', prefix: 'AAAAAAAAAAAAAAAAAAAAA', body: '[A-Za-z0-9%]{40,}', sample: () => 'A'.repeat(21) + body.slice(0, 60).replace(/[^0-9A-Za-z]/g, '') }),
  prefixedTokenRule({ id: 'atlassian-api-token', provider: 'atlassian', title: 'Atlassian API token', severity: 'high', prefix: 'ATATT3', body: '[A-Za-z0-9_=-]{150,200}', sample: () => 'ATATT' + '3' + (body + body + body).slice(0, 180) }),
  prefixedTokenRule({ id: 'alibaba-access-key-id', provider: 'alibaba', title: 'Alibaba Cloud AccessKey ID', severity: 'high', prefix: 'LTAI', body: '[A-Za-z0-9]{12,20}', minEntropy: 3.0, sample: () => 'LTAI' + '5tQz7Xm2Lv9Np4Rb' }),
  prefixedTokenRule({ id: 'azure-storage-account-key', provider: 'azure', title: 'Azure storage account key (connection string)', severity: 'critical', prefix: 'AccountKey=', body: '[A-Za-z0-9+/]{86}==', keywords: ['accountkey='], sample: () => 'DefaultEndpointsProtocol=https;AccountName=acme;' + 'AccountKey=' + (body + body).replace(/[^A-Za-z0-9]/g, '').slice(0, 86) + '==' }),
  prefixedTokenRule({ id: 'azure-shared-access-key', provider: 'azure', title: 'Azure Service Bus / Event Hubs / IoT Hub shared access key (connection string)', severity: 'critical', prefix: 'SharedAccessKey=', body: '[A-Za-z0-9+/]{42,43}=', keywords: ['sharedaccesskey='], sample: () => 'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;' + 'SharedAccessKey=' + body.replace(/[^A-Za-z0-9]/g, '').slice(0, 43) + '=' }),
  prefixedTokenRule({ id: 'azure-ad-client-secret', provider: 'azure', title: 'Azure AD (Entra ID) client secret', severity: 'critical', prefix: '', body: '[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34}', keywords: ['q~'], sample: () => 'aB3' + '8Q~' + body.slice(0, 34) }),
];
