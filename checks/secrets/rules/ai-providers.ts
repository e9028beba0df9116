import { prefixedTokenRule } from './rule.js';

const hex = '3f9a2c7e1b8d4f6a0c5e9b2d7f1a4c8e6b3d0f5a9c2e7b1d4f8a0c3e6b9d2f5a';
const body = 'Qz7Xm2Lv9Np4Rb1Tc8Hd3Js6Fg0Kw5Ye2Ua4Ti6Oo8Pl1Kj3Mh5Nb7Vc9Xz2Qw4Er6Ty8Ui0Op2As4Df6Gh8Jk0Lz2Xc4Vb6Nm8';

/** Model-provider API keys beyond OpenAI and Anthropic (which have their own files). */
export const aiProviderRules = [
  prefixedTokenRule({ id: 'groq-api-key', provider: 'groq', title: 'Groq API key', severity: 'high', prefix: 'gsk_', body: '[A-Za-z0-9]{52}', sample: () => 'gsk' + '_' + body.slice(0, 52) }),
  prefixedTokenRule({ id: 'xai-api-key', provider: 'xai', title: 'xAI (Grok) API key', severity: 'high', prefix: 'xai-', body: '[A-Za-z0-9]{80}', sample: () => 'xai' + '-' + body.slice(0, 80) }),
  prefixedTokenRule({ id: 'replicate-api-token', provider: 'replicate', title: 'Replicate API token', severity: 'high', prefix: 'r8_', body: '[A-Za-z0-9]{37}', sample: () => 'r8' + '_' + body.slice(3, 40) }),
  prefixedTokenRule({ id: 'perplexity-api-key', provider: 'perplexity', title: 'Perplexity API key', severity: 'high', prefix: 'pplx-', body: '[A-Za-z0-9]{48}', sample: () => 'pplx' + '-' + body.slice(4, 52) }),
  prefixedTokenRule({ id: 'langsmith-api-key', provider: 'langchain', title: 'LangSmith API key', severity: 'high', prefix: 'lsv2_', body: '(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}', minEntropy: 3.0, sample: () => 'lsv2' + '_pt_' + hex.slice(0, 32) + '_' + hex.slice(40, 50) }),
];
