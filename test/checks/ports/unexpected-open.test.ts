import { connect, createServer, type Server } from 'node:net';
import { describe, expect, it, afterAll, beforeAll } from 'vitest';
import check from '../../../checks/ports/unexpected-open.js';
import { collectOpenPorts, type OpenPortInventory } from '../../../checks/ports/collect/open-ports.js';
import type { AnyCheck, CheckContext } from '../../../src/check-api/types.js';
import { HostResolutionError } from '../../../src/net/resolve-host.js';
import { silentLogger } from '../../../src/log.js';
import { executeRun } from '../../../jobs/runner.js';
import { checkTester } from '../../support/check-tester.js';

const inventory = (hosts: OpenPortInventory['hosts']): { sweep: OpenPortInventory } => ({
  sweep: { hosts, portsSwept: 1000, engine: 'native', elapsedMs: 5 },
});
const webTier = { groups: [{ name: 'web', hosts: ['10.0.0.0/30'], expected: [80, 443] }] };

checkTester(check as unknown as AnyCheck, {
  pass: [
    { name: 'only expected ports open', options: webTier, inventory: inventory([{ address: '10.0.0.1', hostnames: [], groups: ['web'], open: [{ port: 80 }, { port: 443 }] }]) },
    { name: 'nothing open', options: webTier, inventory: inventory([{ address: '10.0.0.2', hostnames: [], groups: ['web'], open: [] }]) },
    {
      name: 'a host in two groups may expose the union of their expected ports',
      options: { groups: [...webTier.groups, { name: 'bastion', hosts: ['10.0.0.1'], expected: ['22'] }] },
      inventory: inventory([{ address: '10.0.0.1', hostnames: [], groups: ['bastion', 'web'], open: [{ port: 22 }, { port: 443 }] }]),
    },
  ],
  fail: [
    {
      name: 'ssh open on the web tier',
      options: webTier,
      inventory: inventory([
        { address: '10.0.0.1', hostnames: ['www.example.test'], groups: ['web'], open: [{ port: 22, identity: { service: 'ssh', banner: 'SSH-2.0-OpenSSH_9.2' } }, { port: 443 }] },
      ]),
      findings: [{ resourceId: '10.0.0.1:22', severity: 'medium', scope: 'host:10.0.0.1', title: 'Unexpected open port 22/tcp (ssh) on www.example.test (10.0.0.1)' }],
    },
    {
      name: 'data stores are high severity by port or by identified service, IPv6 resource ids are bracketed',
      options: { groups: [{ name: 'app', hosts: ['2001:db8::/126'], expected: [] }] },
      inventory: inventory([
        { address: '2001:db8::1', hostnames: [], groups: ['app'], open: [{ port: 6379 }, { port: 16379, identity: { service: 'redis', banner: '+PONG' } }, { port: 8080 }] },
      ]),
      findings: [
        { resourceId: '[2001:db8::1]:6379', severity: 'high' },
        { resourceId: '[2001:db8::1]:16379', severity: 'high', title: '(redis)' },
        { resourceId: '[2001:db8::1]:8080', severity: 'medium' },
      ],
    },
  ],
  partial: [
    {
      name: 'a host that answered nothing is not covered',
      options: webTier,
      collected: {
        sweep: {
          data: inventory([{ address: '10.0.0.1', hostnames: [], groups: ['web'], open: [{ port: 80 }] }]).sweep,
          coverage: { ok: ['host:10.0.0.1'], failed: [{ scope: 'host:10.0.0.2', error: { name: 'CollectorUnreachable', message: 'no answer' } }] },
        },
      },
      failedScopes: ['host:10.0.0.2'],
    },
  ],
});

function context(options: unknown, services: Record<string, unknown> = {}): CheckContext<any> {
  return {
    checkId: check.id,
    target: { id: 'test' },
    options: check.options.parse(options),
    log: silentLogger,
    signal: new AbortController().signal,
    progress: () => {},
    cursor: { get: () => undefined, set: () => {} },
    clock: { now: () => Date.now() },
    services,
  };
}

describe('ports.unexpected-open against real listeners', () => {
  const servers: Server[] = [];
  const ports: Record<string, number> = {};

  const listen = (host: string, onConnection: (socket: import('node:net').Socket) => void) =>
    new Promise<number>((resolve, reject) => {
      // Probes reset connections on purpose; the lab servers must not treat that as a crash.
      const server = createServer((socket) => {
        socket.on('error', () => {});
        onConnection(socket);
      });
      server.once('error', reject);
      server.listen(0, host, () => resolve((server.address() as { port: number }).port));
      servers.push(server);
    });

  beforeAll(async () => {
    ports.ssh = await listen('127.0.0.1', (s) => s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
    ports.smtp = await listen('127.0.0.1', (s) => s.write('220 mail.example.test ESMTP Postfix\r\n'));
    ports.http = await listen('127.0.0.1', (s) => s.once('data', () => s.end('HTTP/1.1 200 OK\r\nServer: lab\r\nContent-Length: 0\r\n\r\n')));
    ports.silent = await listen('127.0.0.1', () => {});
    ports.v6 = await listen('::1', (s) => s.end('SSH-2.0-lab\r\n'));
  });
  afterAll(async () => {
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it('finds exactly the unexpected listeners on 127.0.0.1 and ::1 and names their services', async () => {
    const options = {
      groups: [
        { name: 'v4', hosts: ['127.0.0.1'], expected: [ports.silent] },
        { name: 'v6', hosts: ['::1'], expected: [] },
      ],
      ports: [ports.ssh, ports.smtp, ports.http, ports.silent, ports.v6].map(String),
      identifyTimeoutMs: 800,
    };
    const collected = await collectOpenPorts(context(options));
    expect(collected.coverage).toEqual({ ok: ['host:127.0.0.1', 'host:::1'], failed: [] });
    const findings = check.evaluate({ sweep: collected.data }, check.options.parse(options));
    const byResource = Object.fromEntries(findings.map((f) => [f.resourceId, f.evidence.service]));
    expect(byResource).toEqual({
      [`127.0.0.1:${ports.ssh}`]: 'ssh',
      [`127.0.0.1:${ports.smtp}`]: 'smtp',
      [`127.0.0.1:${ports.http}`]: 'http',
      [`[::1]:${ports.v6}`]: 'ssh',
    });
    expect(findings.find((f) => f.resourceId === `127.0.0.1:${ports.ssh}`)!.evidence.banner).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2');
  });

  it('reports unresolvable host names and silent hosts as not covered, never as clean', async () => {
    const options = { groups: [{ name: 'g', hosts: ['db.internal.test', '10.9.9.9', '127.0.0.1'], expected: [] }], ports: [String(ports.ssh)], identifyServices: false };
    const resolveHost = async (name: string) => {
      throw new HostResolutionError(name, 'ENOTFOUND');
    };
    const sweepTcp = async (req: { addresses: string[] }) => ({
      engine: 'js',
      elapsedMs: 1,
      stats: {},
      byAddress: req.addresses.map((address) =>
        address === '10.9.9.9'
          ? { address, open: [], closed: 0, filtered: [ports.ssh!], unreachable: 0 }
          : { address, open: [ports.ssh!], closed: 0, filtered: [], unreachable: 0 },
      ),
    });
    const collected = await collectOpenPorts(context(options, { resolveHost, sweepTcp }));
    expect(collected.coverage.ok).toEqual(['host:127.0.0.1']);
    expect(collected.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([
      ['host:db.internal.test', 'CollectorUnreachable'],
      ['host:10.9.9.9', 'CollectorUnreachable'],
    ]);
  });

  it('refuses a CIDR larger than maxAddresses before sending anything', async () => {
    const run = await executeRun(
      { runId: 'r', checkId: check.id, targetId: 't', trigger: 'cli', timeoutMs: 5000, options: { groups: [{ name: 'g', hosts: ['10.0.0.0/8'] }], maxAddresses: 1024 } },
      { checks: { get: () => check as unknown as AnyCheck }, log: silentLogger },
    );
    expect(run.outcome).toBe('failed');
    expect(run.error).toMatch(/exceeds maxAddresses/);
  });

  it('names real data stores on this machine when they listen (Redis on 6379)', async () => {
    const redisUp = await new Promise<boolean>((resolve) => {
      const socket = connect(6379, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    expect.hasAssertions();
    const options = { groups: [{ name: 'g', hosts: ['127.0.0.1'], expected: [] }], ports: ['6379'], identifyTimeoutMs: 1000 };
    const collected = await collectOpenPorts(context(options));
    if (!redisUp) {
      expect(collected.data.hosts[0]?.open ?? []).toEqual([]);
      return;
    }
    expect(collected.data.hosts[0]!.open[0]!.identity?.service).toBe('redis');
  });
});
