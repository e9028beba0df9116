import { createServer as createHttpServer } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTempDir } from '../../builders/temp-dir.js';
import { runCli } from '../../cli/run-cli.js';
import { useLab } from './collect/lab.js';
import { useRedisServer } from './collect/redis-server.js';

const tempDir = useTempDir();
const lab = useLab();
const startRedis = useRedisServer();
let redisPort = 0;
let httpPort = 0;

beforeAll(async () => {
  redisPort = await startRedis();
  httpPort = await lab.serve(createHttpServer((_req, res) => res.writeHead(200, { server: 'nginx/1.22.1' }).end('<title>hi</title>')));
}, 20_000);

describe('audit run exposure (built binary)', () => {
  it('--target 127.0.0.1 sweeps, triages once and reports every exposure check, gating on --fail-on', async () => {
    const db = join(tempDir(), 'vigil.db');
    const result = await runCli(['run', 'exposure', '--target', '127.0.0.1', `--set=ports=${redisPort},${httpPort}`, '--set=identifyTimeoutMs=3000', '--set=probeTimeoutMs=6000', '--fail-on', 'critical', '--format', 'json', '--db', db, '--log-level', 'silent'], { timeoutMs: 100_000 });
    expect(result.stderr).toContain(`exposure.redis-no-auth [cli:127.0.0.1]: ok`);
    expect(result.code).toBe(1);
    const { findings } = JSON.parse(result.stdout) as { findings: { checkId: string; resourceId: string; severity: string }[] };
    const byCheck = new Map(findings.map((f) => [f.checkId, f]));
    expect(byCheck.get('exposure.redis-no-auth')).toMatchObject({ resourceId: `127.0.0.1:${redisPort}`, severity: 'critical' });
    expect(byCheck.get('exposure.http-version-disclosure')).toMatchObject({ resourceId: `127.0.0.1:${httpPort}`, severity: 'low' });
    expect(byCheck.get('exposure.http-no-https-redirect')).toMatchObject({ resourceId: `127.0.0.1:${httpPort}` });
    expect(result.stderr.match(/: ok in /g)).toHaveLength(13);
  }, 120_000);

  it('an endpoint target skips the sweep; bad input exits 2 with one line', async () => {
    const db = join(tempDir(), 'vigil.db');
    const endpoint = await runCli(['run', 'exposure.redis-no-auth', '--target', `127.0.0.1:${redisPort}`, '--set=identifyTimeoutMs=3000', '--no-store', '--db', db, '--format', 'json', '--log-level', 'silent'], { timeoutMs: 60_000 });
    expect(endpoint.code).toBe(1);
    expect(JSON.parse(endpoint.stdout).findings).toEqual([expect.objectContaining({ checkId: 'exposure.redis-no-auth', resourceId: `127.0.0.1:${redisPort}` })]);
    const bad = await runCli(['run', 'exposure', '--target', '127.0.0.1:99999', '--no-store', '--db', db], { timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/port 99999 is out of range/);
  }, 120_000);
});
