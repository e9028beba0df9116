import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { InvalidConfigError } from '../../src/check-api/errors.js';
import { alertsTestCommand } from '../../src/cli/commands/alerts.js';
import { outboxDropCommand, outboxListCommand, outboxRetryCommand } from '../../src/cli/commands/outbox.js';
import { useTempDir } from '../builders/temp-dir.js';
import { runCli } from '../cli/run-cli.js';
import { HttpReceiver } from './support/http-receiver.js';
import { dispatcherFor, openLedger, portFinding, record } from './support/ledger.js';

const tempDir = useTempDir('vigil-outbox-cli-');
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Runs a command function in-process and returns its exit code and stdout (the binary itself is tested once below). */
async function capture(run: () => number | Promise<number>): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    const code = await run();
    return { code, stdout };
  } finally {
    vi.restoreAllMocks();
  }
}

async function ledgerWithDeadLetters(): Promise<{ dbPath: string; hook: HttpReceiver }> {
  const dir = tempDir();
  const hook = await HttpReceiver.start();
  cleanups.push(() => hook.close());
  hook.defaultStatus = 500;
  const db = openLedger(dir);
  const clock = { now: Date.now() };
  record(db, { findings: [portFinding('10.0.0.1', 22), portFinding('10.0.0.1', 23)] }, clock.now);
  const config = { notify: { maxAttempts: 1 }, sinks: { hook: { type: 'webhook', url: hook.url, secret: 'k'.repeat(16) } }, routes: [{ sinks: ['hook'] }] };
  await dispatcherFor(db, config, clock).drain();
  db.close();
  return { dbPath: join(dir, 'vigil.db'), hook };
}

describe('audit outbox and audit alerts', () => {
  it('lists dead letters with sink and error, retries one, drops another, and refuses bad input', async () => {
    const { dbPath } = await ledgerWithDeadLetters();
    const list = await capture(() => outboxListCommand({ db: dbPath, status: 'undelivered', limit: '50', format: 'json' }));
    const rows = JSON.parse(list.stdout) as { id: number; status: string; deliveries: { sink: string; status: string }[]; lastError: string }[];
    expect(rows.map((r) => [r.status, r.deliveries.map((d) => `${d.sink}:${d.status}`).join()])).toEqual([
      ['dead', 'hook:dead'],
      ['dead', 'hook:dead'],
    ]);
    expect(rows[0]!.lastError).toContain('HTTP 500');
    const table = await capture(() => outboxListCommand({ db: dbPath, status: 'dead', limit: '50', format: 'table' }));
    expect(table.stdout).toContain('hook:dead×1');

    expect(await capture(() => outboxRetryCommand([String(rows[0]!.id)], { db: dbPath }))).toEqual({ code: 0, stdout: 'queued 1 outbox row(s) for delivery again\n' });
    expect(await capture(() => outboxDropCommand([String(rows[1]!.id)], { db: dbPath }))).toEqual({ code: 0, stdout: 'dropped 1 outbox row(s)\n' });
    const after = JSON.parse((await capture(() => outboxListCommand({ db: dbPath, status: 'all', limit: '50', format: 'json' }))).stdout) as { status: string; deliveries: { status: string }[] }[];
    expect(after.map((r) => [r.status, r.deliveries[0]!.status])).toEqual([
      ['pending', 'pending'],
      ['delivered', 'dropped'],
    ]);
    expect(() => outboxRetryCommand(['abc'], { db: dbPath })).toThrow(InvalidConfigError);
    expect(() => outboxRetryCommand([], { db: dbPath })).toThrow('give outbox ids to retry, or --all-dead');
    expect(() => outboxListCommand({ db: dbPath, status: 'lost', limit: '5', format: 'table' })).toThrow('--status must be one of');
    expect(await capture(() => outboxDropCommand(['99999'], { db: dbPath }))).toEqual({ code: 2, stdout: 'dropped 0 outbox row(s)\n' });
  });

  it('the built binary lists the outbox and exits 2 with one line on bad input', { timeout: 120_000 }, async () => {
    const { dbPath } = await ledgerWithDeadLetters();
    const list = await runCli(['outbox', 'list', '--status', 'dead'], { env: { VIGIL_DB: dbPath }, timeoutMs: 100_000 });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('finding.new');
    const bad = await runCli(['outbox', 'retry', 'abc'], { env: { VIGIL_DB: dbPath }, timeoutMs: 100_000 });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("audit: error: outbox ids are positive whole numbers, got 'abc'\n");
  });

  it('alerts test reaches the configured sink or reports its refusal; config naming an unknown sink fails with path and line', async () => {
    const dir = tempDir();
    const hook = await HttpReceiver.start();
    cleanups.push(() => hook.close());
    const configPath = join(dir, 'vigil.yaml');
    writeFileSync(configPath, `store: { path: ${join(dir, 'v.db')} }\nlog: { level: silent }\nsinks:\n  hook:\n    type: webhook\n    url: ${hook.url}\n    secret: \${VIGIL_TEST_HOOK_SECRET:-${'h'.repeat(20)}}\n`);
    expect(await capture(() => alertsTestCommand('hook', { config: configPath }))).toEqual({ code: 0, stdout: "test message accepted by webhook sink 'hook'\n" });
    expect(hook.requests).toHaveLength(1);
    hook.defaultStatus = 404;
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await capture(() => alertsTestCommand('hook', { config: configPath }))).code).toBe(2);
    expect(String(stderr.mock.calls[0]![0])).toContain("webhook sink 'hook' did not accept the test message: webhook sink hook: HTTP 404");
    await expect(alertsTestCommand('pager', { config: configPath })).rejects.toThrow("no sink named 'pager'; configured: hook");

    writeFileSync(configPath, `sinks:\n  hook: { type: webhook, url: ${hook.url}, secret: "${'h'.repeat(20)}" }\nroutes:\n  - sinks: [hook, pager]\n`);
    const { parseConfig } = await import('../../src/config/load.js');
    const { registry } = await import('../../checks/registry.js');
    const { readFileSync } = await import('node:fs');
    expect(() => parseConfig(readFileSync(configPath, 'utf8'), 'vigil.yaml', registry)).toThrow("vigil.yaml:4: routes[0].sinks[1]: no sink named 'pager' under sinks");
  });
});
