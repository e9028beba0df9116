import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLabDns, type LabDnsServer } from '../builders/dns-server.js';
import { useTempDir } from '../builders/temp-dir.js';
import { runCli } from './run-cli.js';

const tempDir = useTempDir();
const servers: Server[] = [];
let openPorts: number[] = [];
let closedPort = 0;
let dns: LabDnsServer;

async function listen(): Promise<number> {
  const server = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('SSH-2.0-lab\r\n');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

beforeAll(async () => {
  openPorts = [await listen(), await listen()];
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
  closedPort = (spare.address() as { port: number }).port;
  await new Promise((resolve) => spare.close(resolve));
  dns = await startLabDns({ 'app.lab.test': { A: ['127.0.0.1'] } });
});
afterAll(async () => {
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await dns.close();
});

const portsArg = () => `--set=ports=${[...openPorts, closedPort].join(',')}`;

describe('audit run ports.unexpected-open', () => {
  it('prints a table of the unexpected open ports, records them, and exits 1', async () => {
    const db = join(tempDir(), 'vigil.db');
    const result = await runCli(['run', 'ports.unexpected-open', '--target', '127.0.0.1', portsArg(), '--db', db, '--log-level', 'silent']);
    expect(result.stderr).toMatch(/ports\.unexpected-open \[cli:127\.0\.0\.1\]: ok in/);
    expect(result.code).toBe(1);
    for (const port of openPorts) expect(result.stdout).toContain(`127.0.0.1:${port}`);
    expect(result.stdout).not.toContain(`127.0.0.1:${closedPort}`);
    expect(result.stdout).toMatch(/SEVERITY/);
    expect(result.stdout).toContain('2 findings');
    expect(existsSync(db)).toBe(true);

    const listed = await runCli(['findings', '--db', db, '--format', 'json']);
    expect(listed.code).toBe(0);
    const report = JSON.parse(listed.stdout) as { findings: { resourceId: string; status: string }[] };
    expect(report.findings.map((f) => f.resourceId).sort()).toEqual(openPorts.map((p) => `127.0.0.1:${p}`).sort());
    expect(report.findings.every((f) => f.status === 'new')).toBe(true);

    const runs = await runCli(['runs', '--db', db, '--format', 'json']);
    expect(JSON.parse(runs.stdout)[0]).toMatchObject({ checkId: 'ports.unexpected-open', outcome: 'ok', findingsNew: 2 });
  });

  it('gates on --fail-on and --no-store writes nothing', async () => {
    const dir = tempDir();
    const db = join(dir, 'vigil.db');
    const high = await runCli(['run', 'ports', '--target', '127.0.0.1', portsArg(), '--fail-on', 'high', '--no-store', '--db', db, '--log-level', 'silent']);
    expect(high.code).toBe(0);
    expect(high.stdout).toContain(`127.0.0.1:${openPorts[0]}`);
    const none = await runCli(['run', 'ports', '--target', '127.0.0.1', `--set=ports=${closedPort}`, '--no-store', '--db', db, '--log-level', 'silent']);
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('No findings.');
    expect(existsSync(db)).toBe(false);
  });

  it.each(['json', 'sarif', 'csv'])('prints %s', async (format) => {
    const result = await runCli(['run', 'ports.unexpected-open', '-t', '127.0.0.1', portsArg(), '--no-store', '--format', format, '--log-level', 'silent']);
    expect(result.code).toBe(1);
    if (format === 'csv') {
      expect(result.stdout.split('\n')[0]).toMatch(/^fingerprint,severity,status/);
      expect(result.stdout.trim().split('\n')).toHaveLength(3);
    } else {
      const parsed = JSON.parse(result.stdout);
      expect(format === 'sarif' ? parsed.runs[0].results : parsed.findings).toHaveLength(2);
    }
  });

  it('resolves a host name through the configured DNS server', async () => {
    const dir = tempDir();
    const config = join(dir, 'vigil.yaml');
    writeFileSync(config, `store:\n  path: ${join(dir, 'vigil.db')}\nnetwork:\n  dnsServers: ["${dns.address}"]\nlog:\n  level: silent\n`);
    const result = await runCli(['run', 'ports', '--config', config, '--target', 'app.lab.test', portsArg(), '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).findings[0].title).toContain('app.lab.test (127.0.0.1)');
  });
});

describe('bad input: one clear line on stderr, exit 2, nothing written', () => {
  const cases: [string, (dir: string) => string[], RegExp][] = [
    ['invalid YAML', (dir) => ['run', 'ports', '--config', file(dir, 'jobs: [\n')], /vigil\.yaml:\d+: YAML syntax/],
    ['unknown key', (dir) => ['run', 'ports', '--config', file(dir, 'stor:\n  path: x.db\n')], /vigil\.yaml:1: stor: unknown key 'stor'/],
    ['wrong type', (dir) => ['run', 'ports', '--config', file(dir, 'daemon:\n  maxConcurrentRuns: many\n')], /vigil\.yaml:2: daemon\.maxConcurrentRuns: /],
    ['unknown check id', () => ['run', 'ports.nope', '--target', '127.0.0.1'], /unknown check or area 'ports\.nope'/],
    ['bad CIDR', () => ['run', 'ports', '--target', '10.0.0.0/33'], /is not a valid CIDR block/],
    ['port 0', () => ['run', 'ports', '--target', '127.0.0.1', '--set', 'ports=0'], /port 0 is out of range/],
    ['port 70000', () => ['run', 'ports', '--target', '127.0.0.1', '--set', 'ports=70000'], /port 70000 is out of range/],
    ['unresolvable host name', (dir) => ['run', 'ports', '--config', file(dir, `network:\n  dnsServers: ["${dns.address}"]\n`), '--target', 'nowhere.lab.test'], /cannot resolve host 'nowhere\.lab\.test' \(ENOTFOUND\)/],
    ['unknown option', () => ['run', 'ports', '--bogus'], /unknown option '--bogus'/],
    ['bad --fail-on', () => ['run', 'ports', '--fail-on', 'severe'], /--fail-on.*severe/],
  ];

  function file(dir: string, text: string): string {
    const path = join(dir, 'vigil.yaml');
    writeFileSync(path, text);
    return path;
  }

  it.each(cases)('%s', async (_name, args, message) => {
    const dir = tempDir();
    const db = join(dir, 'ledger.db');
    const result = await runCli([...args(dir), '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
    expect(existsSync(db)).toBe(false);
  });

  it('a database file that is not SQLite is left untouched', async () => {
    const dir = tempDir();
    const db = join(dir, 'notes.txt');
    writeFileSync(db, 'my notes\n');
    const before = statSync(db).mtimeMs;
    const result = await runCli(['run', 'ports', '--target', '127.0.0.1', `--set=ports=${closedPort}`, '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^audit: error: .*notes\.txt is not a SQLite database/)]);
    expect(readFileSync(db, 'utf8')).toBe('my notes\n');
    expect(statSync(db).mtimeMs).toBe(before);
    expect(existsSync(`${db}-wal`)).toBe(false);
  });
});

describe('other commands', () => {
  it('every command has --help', async () => {
    for (const command of [[], ['run'], ['checks'], ['findings'], ['export'], ['runs'], ['decide'], ['daemon'], ['config', 'validate'], ['db', 'prune']]) {
      const result = await runCli([...command, '--help']);
      expect(result.code, command.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: audit/);
    }
  });

  it('lists checks with references', async () => {
    const result = await runCli(['checks', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).map((c: { id: string }) => c.id)).toContain('ports.unexpected-open');
  });

  it('config validate lists every problem, and accepts the example', async () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'store:\n  a: 1\nlog:\n  level: loud\n');
    const bad = await runCli(['config', 'validate', config]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(2);
    const good = await runCli(['config', 'validate', 'config.example.yaml']);
    expect(good.code).toBe(0);
    // Only the loopback sweep is scheduled: `npm start` must need no cloud account.
    expect(good.stdout).toMatch(/valid \(\d+ job\(s\), 1 scheduled\)/);
  });

  it('records decisions, exports SARIF with suppressions, and prunes', async () => {
    const db = join(tempDir(), 'vigil.db');
    await runCli(['run', 'ports', '--target', '127.0.0.1', portsArg(), '--db', db, '--log-level', 'silent']);
    const listed = JSON.parse((await runCli(['findings', '--db', db, '--format', 'json'])).stdout) as { findings: { fingerprint: string; resourceId: string }[] };
    const { fingerprint, resourceId } = listed.findings[0]!;
    const falsePositivePort = resourceId.split(':')[1]!;
    const decided = await runCli(['decide', fingerprint.slice(0, 10), 'false-positive', '--reason', 'lab listener', '--db', db]);
    expect(decided.code).toBe(0);
    const sarif = JSON.parse((await runCli(['export', '--db', db])).stdout);
    const suppressed = sarif.runs[0].results.filter((r: { suppressions?: unknown[] }) => r.suppressions?.length);
    expect(suppressed).toHaveLength(1);
    // The false positive no longer gates a pipeline, though it is still listed.
    const gate = await runCli(['run', 'ports', '--target', '127.0.0.1', `--set=ports=${falsePositivePort}`, '--db', db, '--log-level', 'silent']);
    expect(gate.stdout).toContain(resourceId);
    expect(gate.code).toBe(0);
    const pruned = await runCli(['db', 'prune', '--keep-days', '30', '--db', db]);
    expect(pruned.code).toBe(0);
    expect(pruned.stdout).toMatch(/pruned 0 run\(s\)/);
  });
});
