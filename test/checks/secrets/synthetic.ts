import { createHash } from 'node:crypto';
import { withCrc32Tail } from '../../../checks/secrets/rules/rule.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Deterministic pseudo-random characters from a seed, so every test secret differs and none is a literal. */
function chars(seed: string, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let round = 0; out.length < length; round++) {
    for (const byte of createHash('sha256').update(`${seed}/${round}`).digest()) out += alphabet[byte % alphabet.length];
  }
  return out.slice(0, length);
}

/** Synthetic secrets assembled from pieces at test time (STYLE lesson 6): this repository holds no token literal. */
export const synthetic = {
  githubToken: (seed: string) => withCrc32Tail('gh' + 'p_', chars(seed, 30)),
  awsKeyId: (seed: string) => 'AK' + 'IA' + chars(seed, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
  awsSecret: (seed: string) => chars(seed, 40, ALNUM + '/+'),
  stripeLive: (seed: string) => 'sk' + '_live_' + chars(seed, 32),
  slackWebhook: (seed: string) => `https://hooks.slack.com/services/T${chars(seed + 't', 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/B${chars(seed + 'b', 10, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}/${chars(seed, 24)}`,
  password: (seed: string) => chars(seed, 10) + '!' + chars(seed + 'x', 4),
};
