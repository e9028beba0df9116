import { defineCheck } from '../../src/check-api/define-check.js';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import { createHostResolver, HostResolutionError, type ResolveHost } from '../../src/net/resolve-host.js';
import type { FindingInput } from '../../src/check-api/types.js';
import { collectOpenPorts, hostScope } from './collect/open-ports.js';
import { hostPort } from './host-spec.js';
import { unexpectedOpenOptions } from './options.js';

export default defineCheck({
  id: 'ports.unexpected-open',
  title: 'Only the ports policy expects are open',
  area: 'ports',
  severity: 'medium',
  description:
    'Sweeps the configured hosts, host names and CIDR blocks with TCP connects and reports every open port that the ' +
    "host group's policy does not expect (for example anything but 80 and 443 on the web tier).",
  remediation:
    'Close the port (stop the service or bind it to localhost) or block it in the security group / firewall. If the ' +
    "port is meant to be open, add it to the group's `expected` list.",
  references: [
    { framework: 'cis-controls', version: '8', control: '4.4', title: 'Implement and manage a firewall on servers' },
    { framework: 'cis-controls', version: '8', control: '12.2', title: 'Establish and maintain a secure network architecture' },
    { framework: 'cwe', control: 'CWE-284', title: 'Improper access control' },
  ],
  options: unexpectedOpenOptions,
  cliTarget: (value) => ({ groups: [{ name: 'cli', hosts: value.split(',').map((host) => host.trim()), expected: [] }] }),
  async preflight(options, services) {
    const resolveHost = (services.resolveHost as ResolveHost | undefined) ?? createHostResolver();
    for (const group of options.groups) {
      for (const host of group.hosts) {
        if (host.kind !== 'hostname') continue;
        try {
          await resolveHost(host.hostname);
        } catch (error) {
          throw new InvalidConfigError(error instanceof HostResolutionError ? error.message : `cannot resolve host '${host.hostname}'`);
        }
      }
    }
  },
  needs: { sweep: collectOpenPorts },
  evaluate({ sweep }, options) {
    const expectedByGroup = new Map(options.groups.map((group) => [group.name, new Set(group.expected)]));
    const highRisk = new Set(options.highRiskPorts);
    const findings: FindingInput[] = [];
    for (const host of sweep.hosts) {
      for (const { port, identity } of host.open) {
        if (host.groups.some((group) => expectedByGroup.get(group)?.has(port))) continue;
        const service = identity?.service ?? 'unknown';
        const shownHost = host.hostnames[0] ? `${host.hostnames[0]} (${host.address})` : host.address;
        findings.push({
          resourceId: hostPort(host.address, port),
          scope: hostScope(host.address),
          title: `Unexpected open port ${port}/tcp${service !== 'unknown' ? ` (${service})` : ''} on ${shownHost}`,
          severity: highRisk.has(port) || service === 'redis' || service === 'mysql' || service === 'postgresql' ? 'high' : 'medium',
          evidence: {
            address: host.address,
            port,
            protocol: 'tcp',
            service,
            banner: identity?.banner ?? null,
            hostnames: [...host.hostnames],
            groups: [...host.groups],
            expected: [...new Set(host.groups.flatMap((group) => [...(expectedByGroup.get(group) ?? [])]))].sort((a, b) => a - b),
            ...(identity?.tls ? { tls: { ...identity.tls } } : {}),
          },
          location: { host: host.hostnames[0] ?? host.address, port },
          tags: [`service:${service}`, ...host.groups.map((group) => `group:${group}`)],
        });
      }
    }
    return findings;
  },
});
