import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registry } from '../../../checks/registry.js';
import { executeRun } from '../../../jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore } from '../../../src/store/db.js';
import { listFindings } from '../../../src/store/queries/findings.js';
import { recordRun } from '../../../src/store/record-run.js';
import { useTempDir } from '../../builders/temp-dir.js';

const tempDir = useTempDir();

async function listen(): Promise<Server> {
  const server = createServer((socket) => socket.on('error', () => {}).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('ports.unexpected-open through runner and ledger', () => {
  it('resolves the finding of a port that closed on the next complete sweep, and reopens it when it opens again', async () => {
    const db = openStore(join(tempDir(), 'vigil.db'));
    let server = await listen();
    const port = (server.address() as { port: number }).port;
    const sweep = async (n: number) => {
      const result = await executeRun(
        {
          runId: `sweep-${n}`,
          checkId: 'ports.unexpected-open',
          targetId: 'lab',
          trigger: 'schedule',
          timeoutMs: 10_000,
          options: { groups: [{ name: 'lab', hosts: ['127.0.0.1'] }], ports: String(port), identifyServices: false },
        },
        { checks: registry, log: silentLogger },
      );
      expect(result.outcome).toBe('ok');
      recordRun(db, result, n);
      return listFindings(db).map((f) => [f.resourceId, f.status]);
    };
    expect(await sweep(1)).toEqual([[`127.0.0.1:${port}`, 'new']]);
    await new Promise((resolve) => server.close(resolve));
    expect(await sweep(2)).toEqual([[`127.0.0.1:${port}`, 'resolved']]);
    server = createServer((socket) => socket.on('error', () => {}).end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    expect(await sweep(3)).toEqual([[`127.0.0.1:${port}`, 'reopened']]);
    await new Promise((resolve) => server.close(resolve));
    db.close();
  });
});
