import { readFileSync } from 'node:fs';
import type { CheckContext, Coverage } from '../../../src/check-api/types.js';
import { createHostResolver, HostResolutionError, type ResolveHost } from '../../../src/net/resolve-host.js';
import { collectOpenPorts } from '../../ports/collect/open-ports.js';
import { hostPort, normalizeAddress } from '../../ports/host-spec.js';
import { unexpectedOpenOptions } from '../../ports/options.js';
import type { EndpointSpec, ExposureTargetOptions } from '../options.js';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
  /** Names through which the address was listed (a swept host name, or the host of a configured endpoint). */
  readonly hostnames: readonly string[];
  /** Name to send in SNI and to verify the certificate against. */
  readonly servername?: string;
  /** `host:<address>` for swept hosts (the same scope as ports.*), `endpoint:<host:port>` for configured ones. */
  readonly scope: string;
  readonly source: 'sweep' | 'endpoint' | 'tls-endpoint';
}

export interface Discovery {
  readonly endpoints: readonly Endpoint[];
  readonly coverage: Coverage;
}

/**
 * Where to look: the open ports the port sweep finds on `hosts` (the ports collector, run with its own options and
 * without its own service identification, which triage does more thoroughly), plus the configured endpoints.
 */
export async function discoverEndpoints(ctx: CheckContext<ExposureTargetOptions>): Promise<Discovery> {
  const options = ctx.options;
  const ok: string[] = [];
  const failed: Coverage['failed'][number][] = [];
  const endpoints = new Map<string, Endpoint>();
  const add = (endpoint: Endpoint) => {
    const key = `${endpoint.address}|${endpoint.port}|${endpoint.servername ?? ''}`;
    const existing = endpoints.get(key);
    // A configured TLS endpoint says more than a sweep hit on the same port (it is TLS, and under which name).
    if (!existing || endpoint.source === 'tls-endpoint') endpoints.set(key, endpoint);
  };

  if (options.hosts.length > 0) {
    const portsOptions = unexpectedOpenOptions.parse({
      groups: [{ name: 'exposure', hosts: options.hosts, expected: [] }],
      ports: options.ports,
      concurrency: options.sweepConcurrency,
      ...(options.sweepTimeoutMs !== undefined ? { timeoutMs: options.sweepTimeoutMs } : {}),
      identifyServices: false,
      maxAddresses: options.maxAddresses,
    });
    const swept = await collectOpenPorts({ ...ctx, options: portsOptions });
    ok.push(...swept.coverage.ok);
    failed.push(...swept.coverage.failed);
    const ignored = new Set(options.ignorePorts);
    for (const host of swept.data.hosts) {
      for (const { port } of host.open) {
        if (ignored.has(port)) continue;
        add({
          address: host.address,
          port,
          hostnames: host.hostnames,
          ...(host.hostnames[0] ? { servername: host.hostnames[0] } : {}),
          scope: `host:${host.address}`,
          source: 'sweep',
        });
      }
    }
  }

  const resolveHost = (ctx.services.resolveHost as ResolveHost | undefined) ?? createHostResolver();
  const configured: [EndpointSpec, Endpoint['source']][] = [
    ...options.endpoints.map((spec) => [spec, 'endpoint'] as [EndpointSpec, Endpoint['source']]),
    ...options.tlsEndpoints.map((spec) => [spec, 'tls-endpoint'] as [EndpointSpec, Endpoint['source']]),
  ];
  for (const [spec, source] of configured) {
    const scope = `endpoint:${hostPort(spec.host, spec.port)}`;
    let addresses: string[];
    try {
      addresses = (await resolveHost(spec.host)).map(normalizeAddress);
    } catch (error) {
      const code = error instanceof HostResolutionError ? error.code : 'ERROR';
      failed.push({ scope, error: { name: 'CollectorUnreachable', message: `cannot resolve ${spec.host} (${code})` } });
      continue;
    }
    ok.push(scope);
    const isName = addresses[0] !== normalizeAddressSafe(spec.host);
    const servername = spec.servername ?? (isName ? spec.host : undefined);
    for (const address of addresses) {
      add({ address, port: spec.port, hostnames: isName ? [spec.host] : [], ...(servername ? { servername } : {}), scope, source });
    }
  }
  return { endpoints: [...endpoints.values()], coverage: { ok: [...new Set(ok)], failed } };
}

function normalizeAddressSafe(host: string): string {
  try {
    return normalizeAddress(host);
  } catch {
    return host;
  }
}

/** Extra trust anchors for internal PKI, read once per triage; a missing file is a config error, not a finding. */
export function readCaFiles(files: readonly string[]): Buffer[] {
  return files.map((file) => readFileSync(file));
}
