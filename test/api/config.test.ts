import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registry } from '../../checks/registry.js';
import { parseConfig } from '../../src/config/load.js';

const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig(text, 'vigil.yaml', registry, env);
const problem = (text: string): string => {
  try {
    parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('queue and api config', () => {
  it('defaults to the in-process backend and no API; the shipped example says the same', () => {
    const example = parseConfig(readFileSync('config.example.yaml', 'utf8'), 'config.example.yaml', registry, {});
    for (const loaded of [parse(''), example]) {
      expect(loaded.config.queue).toEqual({ url: 'in-process', prefix: 'vigil', concurrency: 4, attempts: 2, retryBackoff: 10_000, lockDuration: 30_000, checkConcurrency: {} });
      expect(loaded.config.api).toMatchObject({ enabled: false, host: '127.0.0.1', port: 8787, bodyLimit: 65_536, rateLimit: { requests: 60, window: 60_000 } });
    }
  });

  it('takes `queue: redis://...` as shorthand, and ${ENV} in the URL', () => {
    expect(parse('queue: redis://127.0.0.1:6379/2\n').config.queue).toMatchObject({ url: 'redis://127.0.0.1:6379/2', prefix: 'vigil' });
    expect(parse('queue:\n  url: redis://:${REDIS_PASSWORD}@127.0.0.1:6379\n  concurrency: 8\n', { REDIS_PASSWORD: 'pw' }).config.queue).toMatchObject({
      url: 'redis://:pw@127.0.0.1:6379',
      concurrency: 8,
    });
  });

  it('rejects a queue that is neither in-process nor a Redis URL, and an API with no way in, naming the key', () => {
    expect(problem('queue: amqp://rabbit\n')).toMatch(/queue\.url.*expected 'in-process' or a redis:\/\/ URL/);
    expect(problem('queue:\n  concurrency: 0\n')).toMatch(/queue\.concurrency/);
    expect(problem('api:\n  enabled: true\n')).toMatch(/api.*api\.enabled needs at least one entry in api\.tokens/);
    expect(problem('api:\n  tokens: [{ name: ci, token: short }]\n')).toMatch(/^vigil\.yaml:2: api\.tokens\[0\]\.token: API tokens must be at least 24 characters/);
  });
});
