import { readFile, stat } from 'node:fs/promises';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { CheckContext, Collected, Coverage } from '../../../src/check-api/types.js';
import type { DnsOptions } from '../options.js';
import { zoneScope, type Zone, type ZoneInventory } from '../records.js';
import type { BackoffOptions } from './aws-backoff.js';
import { parseZoneFile, ZoneFileError } from './bind-zone-file.js';
import { parseRecordList, RecordListError, recordsToZone } from './record-list.js';

/** `ctx.services.route53`: one client for every account, or a function giving the client for an account label. */
export type Route53Clients = Route53Client | ((account: string) => Route53Client);

/**
 * Reads every configured zone source. A source that cannot be read (missing file, syntax error with its line,
 * AccessDenied) fails its own scope and the others are still read, so the run is partial only there.
 */
export async function collectZones(ctx: CheckContext<DnsOptions>): Promise<Collected<ZoneInventory>> {
  const zones: Zone[] = [];
  const failed: Coverage['failed'][number][] = [];
  const skipped: NonNullable<Coverage['skipped']>[number][] = [];
  for (const source of ctx.options.zones) {
    switch (source.source) {
      case 'records':
        zones.push(recordsToZone(source.records, source.zone, 'inline'));
        break;
      case 'record-list':
        try {
          zones.push(await parsedOnce(`list\0${source.path}\0${source.zone}`, source.path, (text) => parseRecordList(text, source.path, source.zone)));
        } catch (error) {
          failed.push({ scope: zoneScope(source.zone), error: fileError(error, source.path) });
        }
        break;
      case 'bind':
        try {
          const parsed = await parsedOnce(`bind\0${source.path}\0${source.origin ?? ''}`, source.path, (text) => parseZoneFile(text, source.path, source.origin ? { origin: source.origin } : {}));
          zones.push(parsed.zone);
          if (parsed.skipped > 0) skipped.push({ scope: zoneScope(parsed.zone.name), reason: 'record types no dns check reads (DNSSEC, HTTPS, ...)', count: parsed.skipped });
        } catch (error) {
          failed.push({ scope: source.origin ? zoneScope(source.origin.replace(/\.$/, '').toLowerCase()) : `zonefile:${source.path}`, error: fileError(error, source.path) });
        }
        break;
      case 'route53': {
        const clients = ctx.services.route53 as Route53Clients | undefined;
        const client = typeof clients === 'function' ? clients(source.account) : clients ?? (await sharedRoute53Client(ctx.services, source.account, source.roleArn));
        // Loaded here, not at the top: the Route 53 SDK costs every command that loads the check registry ~100 ms.
        const { readRoute53Zones } = await import('./route53.js');
        const read = await readRoute53Zones(client, source, ctx.signal, ctx.services.route53Backoff as BackoffOptions | undefined);
        zones.push(...read.zones);
        failed.push(...read.failed);
        if (read.skippedPrivate > 0) skipped.push({ scope: `route53:${source.account}`, reason: 'private hosted zones (includePrivate is off)', count: read.skippedPrivate });
        if (read.skippedTypes > 0) skipped.push({ scope: `route53:${source.account}`, reason: 'record types no dns check reads', count: read.skippedTypes });
        break;
      }
    }
  }
  const ok = zones.map((zone) => zoneScope(zone.name));
  return { data: { zones }, coverage: { ok, failed, ...(skipped.length ? { skipped } : {}) } };
}

/**
 * Without a dns-specific seam, the client comes from the AWS client factory every AWS check shares
 * (`ctx.services.awsClients`: endpoint, credentials, AssumeRole with cached sessions), so `roleArn` reads another
 * account's zones. Loaded on first use; Route 53 is a global service signed for us-east-1.
 */
async function sharedRoute53Client(services: Readonly<Record<string, unknown>>, account: string, roleArn: string | undefined): Promise<Route53Client> {
  const { awsClientsFrom } = await import('../../cloud/aws/collect/clients.js');
  return awsClientsFrom(services)('route53', 'us-east-1', { id: account, ...(roleArn ? { roleArn } : {}) });
}

const parsedFiles = new Map<string, { stamp: string; parsed: unknown }>();

/**
 * Every dns.* check reads the same zone files, and a 100k-record file takes half a second to parse: the last parse of
 * each file is kept while the file's inode, size and change times stay the same, so a family run (or a daemon tick)
 * parses it once. Zone objects are never mutated by the checks, so sharing them is safe.
 */
async function parsedOnce<T>(key: string, path: string, parse: (text: string) => T): Promise<T> {
  const info = await stat(path);
  const stamp = `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  const cached = parsedFiles.get(key);
  if (cached?.stamp === stamp) return cached.parsed as T;
  const parsed = parse(await readFile(path, 'utf8'));
  parsedFiles.set(key, { stamp, parsed });
  return parsed;
}

function fileError(error: unknown, path: string): { name: string; message: string } {
  if (error instanceof ZoneFileError || error instanceof RecordListError) return { name: 'InvalidZoneData', message: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  return { name: code === 'EACCES' ? 'CollectorAccessDenied' : 'CollectorUnreachable', message: `cannot read ${path}: ${code ?? String(error)}` };
}
