import { keyedSecretRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a';
const alnum = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';
const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;

/** Vendors whose secrets are plain hex, base32 or alphanumeric runs: one row each, the vendor's name is the anchor. */
export const saasKeyedRules = [
  keyedSecretRule({ id: 'twilio-api-key', provider: 'twilio', title: 'Twilio API key secret or auth token', names: ['twilio'], value: '(?:SK)?[0-9a-fA-F]{32}', sample: () => `TWILIO_AUTH_TOKEN=${hex.slice(0, 32)}` }),
  keyedSecretRule({ id: 'datadog-api-key', provider: 'datadog', title: 'Datadog API or application key', names: ['datadog', 'dd_api', 'dd_app'], value: '[0-9a-f]{32}(?:[0-9a-f]{8})?', sample: () => `DD_API_KEY=${hex.slice(0, 32)}` }),
  keyedSecretRule({ id: 'heroku-api-key', provider: 'heroku', title: 'Heroku API key', names: ['heroku'], value: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', sample: () => `HEROKU_API_KEY=${uuid}` }),
  keyedSecretRule({ id: 'facebook-app-secret', provider: 'facebook', title: 'Facebook / Meta app secret', names: ['facebook', 'fb_app', 'fb_secret', 'fb_client'], value: '[0-9a-f]{32}', sample: () => `FACEBOOK_APP_SECRET="${hex.slice(8, 40)}"` }),
  keyedSecretRule({ id: 'twitter-api-key', provider: 'twitter', title: 'Twitter/X API key (consumer key)', names: ['twitter'], value: '[A-Za-z0-9]{25}', sample: () => `TWITTER_API_KEY=${alnum.slice(0, 25)}` }),
  keyedSecretRule({ id: 'twitter-api-secret', provider: 'twitter', title: 'Twitter/X API secret (consumer secret)', names: ['twitter'], value: '[A-Za-z0-9]{50}', sample: () => `twitter_consumer_secret: "${alnum.slice(3, 53)}"` }),
  keyedSecretRule({ id: 'twitter-access-token', provider: 'twitter', title: 'Twitter/X user access token', names: ['twitter'], value: '[0-9]{15,25}-[A-Za-z0-9]{20,40}', sample: () => `TWITTER_ACCESS_TOKEN=${'1456789012345678901'}-${alnum.slice(5, 45)}` }),
  keyedSecretRule({ id: 'mailgun-private-key', provider: 'mailgun', title: 'Mailgun private API key', names: ['mailgun'], value: '[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}', sample: () => `MAILGUN_API_KEY=${hex.slice(0, 32)}-${hex.slice(32, 40)}-${hex.slice(40, 48)}` }),
  keyedSecretRule({ id: 'alibaba-access-key-secret', provider: 'alibaba', title: 'Alibaba Cloud AccessKey secret', names: ['alibaba', 'aliyun', 'alicloud'], value: '[A-Za-z0-9]{30}', sample: () => `ALIBABA_CLOUD_ACCESS_KEY_SECRET=${alnum.slice(7, 37)}` }),
  keyedSecretRule({ id: 'atlassian-legacy-api-token', provider: 'atlassian', title: 'Atlassian (Jira, Confluence) legacy API token', names: ['atlassian', 'jira', 'confluence'], value: '[A-Za-z0-9]{24}', sample: () => `JIRA_API_TOKEN=${alnum.slice(11, 35)}` }),
  keyedSecretRule({ id: 'azure-devops-pat', provider: 'azure', title: 'Azure DevOps personal access token', names: ['azure_devops', 'azure-devops', 'azuredevops', 'azdo', 'ado_pat'], value: '[a-z2-7]{52}', sample: () => `AZURE_DEVOPS_PAT=${'qz7xm2lv6np4rb3tc5hd3js6fg7kw5ye2ua4ti6oo7pl3kj3mh5q'}` }),
  keyedSecretRule({ id: 'cloudflare-api-token', provider: 'cloudflare', title: 'Cloudflare API token', names: ['cloudflare', 'cf_api'], value: '[A-Za-z0-9_-]{40}', sample: () => `CLOUDFLARE_API_TOKEN=${alnum.slice(2, 42)}` }),
  keyedSecretRule({ id: 'cloudflare-global-api-key', provider: 'cloudflare', title: 'Cloudflare global API key', names: ['cloudflare', 'cf_api'], value: '[0-9a-f]{37}', sample: () => `CLOUDFLARE_API_KEY=${hex.slice(3, 40)}` }),
  keyedSecretRule({ id: 'okta-api-token', provider: 'okta', title: 'Okta API token', names: ['okta'], value: '00[A-Za-z0-9_-]{40}', sample: () => `OKTA_API_TOKEN=00${alnum.slice(9, 49)}` }),
  keyedSecretRule({ id: 'snyk-api-token', provider: 'snyk', title: 'Snyk API token', names: ['snyk'], value: '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', sample: () => `SNYK_TOKEN=${uuid}` }),
  keyedSecretRule({ id: 'netlify-access-token', provider: 'netlify', title: 'Netlify personal access token', names: ['netlify'], value: '[A-Za-z0-9_-]{43}', sample: () => `NETLIFY_AUTH_TOKEN=${alnum.slice(1, 44)}` }),
  keyedSecretRule({ id: 'asana-token', provider: 'asana', title: 'Asana personal access token', names: ['asana'], value: '[0-9]/[0-9]{13,20}:[0-9a-f]{32}', sample: () => `ASANA_TOKEN=1/${'1203456789012345'}:${hex.slice(10, 42)}` }),
  keyedSecretRule({ id: 'fastly-api-token', provider: 'fastly', title: 'Fastly API token', names: ['fastly'], value: '[A-Za-z0-9_-]{32}', sample: () => `FASTLY_API_TOKEN=${alnum.slice(13, 45)}` }),
  keyedSecretRule({ id: 'mistral-api-key', provider: 'mistral', title: 'Mistral AI API key', names: ['mistral'], value: '[A-Za-z0-9]{32}', sample: () => `MISTRAL_API_KEY=${alnum.slice(17, 49)}` }),
  keyedSecretRule({ id: 'cohere-api-key', provider: 'cohere', title: 'Cohere API key', names: ['cohere', 'co_api_key'], value: '[A-Za-z0-9]{40}', sample: () => `COHERE_API_KEY=${alnum.slice(19, 59)}` }),
  keyedSecretRule({ id: 'discord-bot-token', provider: 'discord', title: 'Discord bot token', names: ['discord'], value: '[MN][A-Za-z0-9_-]{23,25}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}', sample: () => `DISCORD_BOT_TOKEN=M${alnum.slice(0, 25)}.${alnum.slice(30, 36)}.${alnum.slice(40, 78)}` }),
  keyedSecretRule({ id: 'vault-legacy-token', provider: 'hashicorp', title: 'HashiCorp Vault legacy service token (s.)', severity: 'critical', names: ['vault_token', 'vault-token', 'vaulttoken'], value: 's\\.[A-Za-z0-9]{24}', sample: () => `VAULT_TOKEN=s.${alnum.slice(21, 45)}` }),
];
