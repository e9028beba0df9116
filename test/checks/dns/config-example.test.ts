import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dnsOptions } from '../../../checks/dns/options.js';
import { registry } from '../../../checks/registry.js';
import { parseConfig } from '../../../src/config/load.js';

describe('the dns jobs documented in config.example.yaml', () => {
  it('parse as jobs once uncommented, and their options satisfy the dns option schema', () => {
    const text = readFileSync('config.example.yaml', 'utf8');
    const block = /# dns-jobs:begin\n([\s\S]*?)\n\s*# dns-jobs:end/.exec(text)?.[1];
    expect(block).toBeDefined();
    const uncommented = block!.split('\n').map((line) => line.replace(/^ {2}# /, '  ')).join('\n');
    const loaded = parseConfig(`jobs:\n${uncommented}\n`, 'dns-example.yaml', registry, {});
    expect(loaded.jobs.map((job) => [job.name, job.checkId])).toEqual([
      ['zones-dangling-cname', 'dns.dangling-cname'],
      ['zones-lame-delegation', 'dns.lame-delegation'],
    ]);
    for (const job of loaded.jobs) {
      const options = dnsOptions.parse(job.options);
      expect(options.zones.map((zone) => zone.source)).toEqual(['route53', 'bind', 'record-list']);
      expect(options.inventory).toEqual([{ account: '123456789012', regions: ['us-east-1', 'eu-west-1'] }]);
      expect(options.http.schemes).toEqual(['https', 'http']);
      expect(options.registration).toEqual({ enabled: true, bootstrapUrl: 'https://data.iana.org/rdap/dns.json', servers: {}, timeoutMs: 5000, concurrency: 2 });
    }
  });
});
