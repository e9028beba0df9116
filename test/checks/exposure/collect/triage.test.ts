import { createServer as createHttpServer } from 'node:http';
import ssh2 from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../../../checks/registry.js';
import type { AnyCheck } from '../../../../src/check-api/types.js';
import { silentLogger } from '../../../../src/log.js';
import { executeRun } from '../../../../jobs/runner.js';
import { useLab } from './lab.js';
import { useRedisServer } from './redis-server.js';
import { sshHostKey } from './ssh-host-key.js';

const lab = useLab();
const startRedis = useRedisServer();
const ports: Record<string, number> = {};
let rootRequests = 0;

beforeAll(async () => {
  const ssh = new ssh2.Server({ hostKeys: [sshHostKey()] }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => ctx.reject(['publickey', 'password']));
  });
  ports.ssh = await lab.serve(ssh as never);
  ports.redis = await startRedis();
  ports.http = await lab.serve(
    createHttpServer((req, res) => {
      if (req.url === '/') rootRequests += 1;
      res.end('<title>hello</title>');
    }),
  );
  ports.silent = await lab.tcp(() => {});
  ports.http6 = await lab.serve(createHttpServer((_req, res) => res.writeHead(200, { server: 'Apache/2.4.57' }).end('<title>v6</title>')), '::1');
}, 20_000);

const run = (id: string, options: unknown, services: Record<string, unknown>) =>
  executeRun(
    { runId: `r-${id}`, checkId: id, targetId: 'cli:127.0.0.1', trigger: 'cli', options, timeoutMs: 30_000 },
    { checks: registry, log: silentLogger, services },
  );

describe('exposure checks over a real sweep of 127.0.0.1', () => {
  it('sweeps with the ports collector, triages once for all checks, and finds what each check owns', async () => {
    const options = { hosts: ['127.0.0.1'], ports: [ports.ssh, ports.redis, ports.http].map(String), identifyTimeoutMs: 3000, probeTimeoutMs: 6000 };
    const services = {};
    const ssh = await run('exposure.ssh-password-auth', options, services);
    const redis = await run('exposure.redis-no-auth', options, services);
    const plain = await run('exposure.http-no-https-redirect', options, services);
    const headers = await run('exposure.http-security-headers', options, services);
    for (const result of [ssh, redis, plain, headers]) {
      expect(result.outcome).toBe('ok');
      expect(result.coverage.ok).toEqual(['host:127.0.0.1']);
    }
    expect(ssh.findings.map((f) => [f.resourceId, f.severity, f.scope])).toEqual([[`127.0.0.1:${ports.ssh}`, 'medium', 'host:127.0.0.1']]);
    expect(redis.findings.map((f) => [f.resourceId, f.severity])).toEqual([[`127.0.0.1:${ports.redis}`, 'critical']]);
    expect(plain.findings.map((f) => f.resourceId)).toEqual([`127.0.0.1:${ports.http}`]);
    expect(headers.findings.map((f) => f.key).sort()).toEqual(['csp', 'framing', 'x-content-type-options']);
    // the later runs reuse the first run's triage (same services object, same target options): / was asked once
    expect(rootRequests).toBe(1);
  });

  it('a port that accepts and never speaks makes every exposure check partial for its host; ignorePorts lifts that', async () => {
    const options = { hosts: ['127.0.0.1'], ports: [ports.ssh, ports.silent].map(String), identifyTimeoutMs: 500, probeTimeoutMs: 5000 };
    const partial = await run('exposure.ssh-password-auth', options, {});
    expect(partial.outcome).toBe('partial');
    expect(partial.coverage.failed).toEqual([
      { scope: 'host:127.0.0.1', error: { name: 'CollectorTimeout', message: expect.stringContaining(`127.0.0.1:${ports.silent}: accepted the connection but answered none`) } },
    ]);
    expect(partial.coverage.ok).toEqual([]);
    expect(partial.findings).toHaveLength(1);
    const clean = await run('exposure.ssh-password-auth', { ...options, ignorePorts: [ports.silent!] }, {});
    expect(clean.outcome).toBe('ok');
  });

  it('triages a configured IPv6 endpoint without a sweep, scoped to the endpoint', async () => {
    const result = await run('exposure.http-version-disclosure', { endpoints: [`[::1]:${ports.http6}`], identifyTimeoutMs: 3000, probeTimeoutMs: 6000 }, {});
    expect(result.outcome).toBe('ok');
    expect(result.coverage.ok).toEqual([`endpoint:[::1]:${ports.http6}`]);
    expect(result.findings.map((f) => [f.resourceId, f.scope, f.evidence.headers])).toEqual([[`[::1]:${ports.http6}`, `endpoint:[::1]:${ports.http6}`, { server: 'Apache/2.4.57' }]]);
  });

  it('refuses options with nothing to look at, with a clear message', async () => {
    const result = await run('exposure.redis-no-auth', {}, {});
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/give at least one of hosts, endpoints or tlsEndpoints/);
    expect((registry.get('exposure.redis-no-auth') as AnyCheck).options.safeParse({ endpoints: ['db.internal'] }).error?.issues[0]?.message).toMatch(/is not host:port/);
  });
});

describe('per-family probe limits', () => {
  it('an SSH probe capped below what the server needs is partial for ssh only; the cap is its own', async () => {
    // Answers the `none` attempt only after 1.5 s, like a server doing a slow PAM or DNS lookup.
    const slow = new ssh2.Server({ hostKeys: [sshHostKey()] }, (client) => {
      client.on('error', () => {});
      client.on('authentication', (ctx) => setTimeout(() => ctx.reject(['password']), 1500));
    });
    const port = await lab.serve(slow as never);
    const options = { endpoints: [`127.0.0.1:${port}`], identifyTimeoutMs: 3000, probeTimeoutMs: 8000 };
    const capped = await run('exposure.ssh-password-auth', { ...options, probes: { ssh: { timeoutMs: 500, concurrency: 1 } } }, {});
    expect(capped.outcome).toBe('partial');
    expect(capped.coverage.failed.map((f) => f.error.name)).toEqual(['CollectorTimeout']);
    expect(capped.coverage.failed[0]!.error.message).toMatch(/within 500 ms/);
    const patient = await run('exposure.ssh-password-auth', options, {});
    expect(patient.outcome).toBe('ok');
    expect(patient.findings).toHaveLength(1);
    expect((registry.get('exposure.ssh-password-auth') as AnyCheck).options.safeParse({ ...options, probes: { smtp: {} } }).success).toBe(false);
  });
});
