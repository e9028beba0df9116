import { prefixedTokenRule } from './rule.js';

export const huggingfaceRules = [
  prefixedTokenRule({ id: 'huggingface-token', provider: 'huggingface', title: 'Hugging Face access token', severity: 'high', prefix: 'hf_', body: '[A-Za-z]{34}', sample: () => 'hf' + '_' + 'QzXmLvNpRbTcHdJsFgKwYeUaTiOoPlKjMh' }),
];
