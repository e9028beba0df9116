import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { runCli } from '../../cli/run-cli.js';
import { startFakeRdap, type FakeRdap } from './lab/rdap-server.js';
import { startTakeoverLab, type TakeoverLab } from './lab/takeover-lab.js';

// Runs the BUILT binary (`npx tsc -p tsconfig.json` first), with the resolver pointed at the loopback lab by config.
describe('audit run dns.* end to end', () => {
  let lab: TakeoverLab;
  let rdap: FakeRdap;
  const tempDir = useTempDir('vigil-dns-cli-');
  beforeAll(async () => {
    lab = await startTakeoverLab({ names: { 'live-app.azurewebsites.net': { A: ['127.0.0.1'] } } });
    rdap = await startFakeRdap({ tlds: [] });
  });
  afterAll(async () => {
    await lab.close();
    await rdap.close();
  });

  it('gates CI on a dangling record (exit 1) and records the finding; a missing zone file is bad input (exit 2)', { timeout: 90_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cli.test.db'), '$ORIGIN cli.test.\napp CNAME gone-app.azurewebsites.net.\nlive CNAME live-app.azurewebsites.net.\ncdn CNAME d1.cloudfront.net.\nlapsed CNAME www.lapsed-cli-vendor.com.\n');
    // The registry for .com is the loopback RDAP fake (set in config, as an operator would): nothing leaves the machine.
    writeFileSync(
      join(dir, 'vigil.yaml'),
      `jobs:\n  - name: cli-zone\n    check: dns.dangling-cname\n    options:\n      zones: [{ source: bind, path: ${join(dir, 'cli.test.db')} }]\n      resolver: { servers: ["${lab.resolverAddress}"], timeoutMs: 300, tries: 2 }\n      registration: { servers: { com: "${rdap.baseUrl}" } }\n`,
    );
    const db = join(dir, 'vigil.db');
    const run = await runCli(['run', 'dns.dangling-cname', '--config', join(dir, 'vigil.yaml'), '--db', db, '--format', 'json', '--fail-on', 'high', '--log-level', 'silent']);
    expect(run.stderr).toContain('dns.dangling-cname [cli-zone]: ok');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('cli.test/app.cli.test/CNAME');
    expect(run.stdout).toContain('cli.test/lapsed.cli.test/CNAME');
    expect(run.stdout).toContain('lapsed-cli-vendor.com can be registered');
    expect(rdap.requests).toEqual(['/rdap/domain/lapsed-cli-vendor.com']);
    expect(run.stdout).not.toContain('live.cli.test');
    expect(run.stdout).not.toContain('cdn.cli.test');
    const listed = await runCli(['findings', '--db', db, '--format', 'json']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('dns.dangling-cname');

    const missing = await runCli(['run', 'dns.dangling-cname', '--target', join(dir, 'nope.db'), '--db', db, '--log-level', 'silent']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(`zone file '${join(dir, 'nope.db')}' does not exist`);
  });
});
