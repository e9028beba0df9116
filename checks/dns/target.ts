import { access } from 'node:fs/promises';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import type { z } from 'zod';
import type { DnsOptions, dnsOptions } from './options.js';

/**
 * `audit run dns.<check> --target <spec>[,<spec>...]`: `path/to/zone.db` (a BIND file), `list:<zone>=<path>` (a plain
 * record list) or `route53` / `route53:<account>` (every public hosted zone the credentials see).
 */
export function dnsCliTarget(value: string): Partial<z.input<typeof dnsOptions>> {
  return {
    zones: value.split(',').map((raw) => {
      const spec = raw.trim();
      if (spec === 'route53') return { source: 'route53' as const };
      if (spec.startsWith('route53:')) return { source: 'route53' as const, account: spec.slice('route53:'.length) };
      const list = /^list:([^=]+)=(.+)$/.exec(spec);
      if (list) return { source: 'record-list' as const, zone: list[1]!, path: list[2]! };
      return { source: 'bind' as const, path: spec };
    }),
  };
}

/** Fails fast (exit 2) on a zone file path that does not exist, instead of recording a partial run of a typo. */
export async function dnsPreflight(options: DnsOptions): Promise<void> {
  for (const source of options.zones) {
    if (source.source !== 'bind' && source.source !== 'record-list') continue;
    try {
      await access(source.path);
    } catch {
      throw new InvalidConfigError(`zone file '${source.path}' does not exist or cannot be read`);
    }
  }
}
