import { InvalidConfigError } from '../../src/check-api/errors.js';
import type { FindingInput, JsonValue, Severity } from '../../src/check-api/types.js';
import { createHostResolver, HostResolutionError, type ResolveHost } from '../../src/net/resolve-host.js';
import { hostPort, parseHostSpec } from '../ports/host-spec.js';
import type { EndpointTriage } from './collect/triage.js';
import type { ExposureTargetOptions } from './options.js';

/** `db.internal (10.0.0.5):5432` when a name is known, else `10.0.0.5:5432`. */
export function endpointName(endpoint: EndpointTriage): string {
  const name = endpoint.servername ?? endpoint.hostnames[0];
  return name ? `${name} (${hostPort(endpoint.address, endpoint.port)})` : hostPort(endpoint.address, endpoint.port);
}

/** Every exposure finding is keyed by the endpoint and scoped the way the triage reported coverage for it. */
export function endpointFinding(
  endpoint: EndpointTriage,
  finding: { key?: string; title: string; severity: Severity; evidence: Record<string, JsonValue>; remediation?: string; tags?: string[] },
): FindingInput {
  return {
    resourceId: hostPort(endpoint.address, endpoint.port),
    ...(finding.key ? { key: finding.key } : {}),
    scope: endpoint.scope,
    title: finding.title,
    severity: finding.severity,
    evidence: {
      address: endpoint.address,
      port: endpoint.port,
      service: endpoint.service,
      ...(endpoint.servername ? { servername: endpoint.servername } : {}),
      ...(endpoint.hostnames.length ? { hostnames: [...endpoint.hostnames] } : {}),
      ...finding.evidence,
    },
    location: { host: endpoint.servername ?? endpoint.hostnames[0] ?? endpoint.address, port: endpoint.port },
    ...(finding.remediation ? { remediation: finding.remediation } : {}),
    tags: [`service:${endpoint.service}`, ...(finding.tags ?? [])],
  };
}

/** An ad-hoc `--target` with a host name that does not resolve is a typo: fail before anything is probed. */
export async function exposurePreflight(options: ExposureTargetOptions, services: Readonly<Record<string, unknown>>): Promise<void> {
  const resolveHost = (services.resolveHost as ResolveHost | undefined) ?? createHostResolver();
  const names = [
    ...options.hosts.map((host) => parseHostSpec(host)).flatMap((spec) => (typeof spec !== 'string' && spec.kind === 'hostname' ? [spec.hostname] : [])),
    ...[...options.endpoints, ...options.tlsEndpoints].map((endpoint) => endpoint.host),
  ];
  for (const name of new Set(names)) {
    try {
      await resolveHost(name);
    } catch (error) {
      throw new InvalidConfigError(error instanceof HostResolutionError ? error.message : `cannot resolve host '${name}'`);
    }
  }
}

/** Inventories list endpoints of every kind; each check picks its own. */
export function endpointsWith<K extends keyof EndpointTriage>(endpoints: readonly EndpointTriage[], key: K): (EndpointTriage & Required<Pick<EndpointTriage, K>>)[] {
  return endpoints.filter((endpoint) => endpoint[key] !== undefined) as (EndpointTriage & Required<Pick<EndpointTriage, K>>)[];
}
