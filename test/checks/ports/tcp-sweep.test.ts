import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../src/check-api/errors.js';
import { nativeSweepAvailable, sweepTcp, type SweepRequest } from '../../../checks/ports/collect/tcp-sweep.js';

// Every case runs against both engines with real sockets on loopback only.

type Host = '127.0.0.1' | '::1';

async function listen(host: Host, port = 0, backlog?: number): Promise<Server> {
  const server = createServer((socket) => socket.on('error', () => {}).destroy());
  server.listen({ host, port, ...(backlog === undefined ? {} : { backlog }) });
  await once(server, 'listening');
  return server;
}

function portOf(server: Server): number {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server is not listening on TCP');
  return address.port;
}

async function close(servers: Server[]): Promise<void> {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
}

/** A port that was just free: bind, read it, release it. */
async function closedPort(host: Host): Promise<number> {
  const server = await listen(host);
  const port = portOf(server);
  await close([server]);
  return port;
}

/** Ports in LISTEN on this machine, any address (independent oracle: the kernel's own table). */
function machineListeners(): Set<number> {
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] === '0A') ports.add(Number.parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** A window below the ephemeral range with nothing listening in it, so "exactly these ports" is knowable. */
function quietWindow(size: number): { from: number; to: number } {
  const busy = machineListeners();
  for (let from = 20_000; from + size < 32_000; from += size) {
    const to = from + size - 1;
    if (![...busy].some((port) => port >= from && port <= to)) return { from, to };
  }
  throw new Error('no quiet port window below 32000');
}

async function listenInWindow(host: Host, count: number, window: { from: number; to: number }): Promise<Server[]> {
  const servers: Server[] = [];
  const taken = new Set<number>();
  while (servers.length < count) {
    const port = window.from + 1 + Math.floor(Math.random() * (window.to - window.from - 1));
    if (taken.has(port)) continue;
    taken.add(port);
    try {
      servers.push(await listen(host, port));
    } catch {
      // raced with another process for that port; pick another
    }
  }
  return servers;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A listener whose accept queue is full: the kernel drops further SYNs, which is the one way to make a loopback
 * connect time out without root firewall rules. The child blocks its event loop so it never accepts.
 */
async function fullBacklogListener(): Promise<{ port: number; child: ChildProcess; fillers: Socket[] }> {
  const script = `
    const server = require('node:net').createServer();
    server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
      process.stdout.write(server.address().port + '\\n');
      setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 20);
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  const port = Number.parseInt(chunk.toString(), 10);
  await sleep(60);
  const fillers: Socket[] = [];
  for (let i = 0; i < 10; i++) {
    const socket = connect({ host: '127.0.0.1', port }).on('error', () => {});
    fillers.push(socket);
    const connected = await Promise.race([once(socket, 'connect').then(() => true), sleep(300).then(() => false)]);
    if (!connected) return { port, child, fillers };
  }
  child.kill('SIGKILL');
  throw new Error('backlog never filled');
}

describe.each(['native', 'js'] as const)('sweepTcp with the %s engine', (engine) => {
  const base = { concurrency: 200, timeoutMs: 500, retries: 1, engine } satisfies Partial<SweepRequest>;

  it('is the engine it claims to be', async () => {
    if (engine === 'native') expect(nativeSweepAvailable(), 'run: npx node-gyp rebuild --directory=checks/ports/native').toBe(true);
    const result = await sweepTcp({ ...base, addresses: ['127.0.0.1'], ports: [await closedPort('127.0.0.1')] });
    expect(result.engine).toBe(engine);
  });

  describe('with listeners on 127.0.0.1 and ::1', () => {
    const window = quietWindow(1500);
    let v4: Server[] = [];
    let v6: Server[] = [];
    beforeAll(async () => {
      v4 = await listenInWindow('127.0.0.1', 6, window);
      v6 = await listenInWindow('::1', 3, window);
    });
    afterAll(() => close([...v4, ...v6]));

    it('finds exactly the open ports of a range on each address', async () => {
      const result = await sweepTcp({ ...base, addresses: ['127.0.0.1', '::1'], ports: range(window.from, window.to) });
      const [ipv4, ipv6] = result.byAddress;
      expect(ipv4).toEqual({
        address: '127.0.0.1',
        open: v4.map(portOf).sort((a, b) => a - b),
        closed: 1500 - v4.length,
        filtered: [],
        unreachable: 0,
      });
      expect(ipv6).toEqual({
        address: '::1',
        open: v6.map(portOf).sort((a, b) => a - b),
        closed: 1500 - v6.length,
        filtered: [],
        unreachable: 0,
      });
      // One probe per port, plus at most one retry for a connect that timed out on a loaded machine.
      expect(result.stats.probes).toBeGreaterThanOrEqual(3000);
      expect(result.stats.probes).toBeLessThanOrEqual(6000);
    });

    it('tells an open port from a known-closed one, and merges duplicate ports', async () => {
      const open = portOf(v6[0]!);
      const closed = await closedPort('::1');
      const result = await sweepTcp({ ...base, addresses: ['::1'], ports: [closed, open, open] });
      expect(result.byAddress).toEqual([{ address: '::1', open: [open], closed: 1, filtered: [], unreachable: 0 }]);
    });
  });

  it('agrees with the kernel listen table on a whole-range sweep of 127.0.0.1', async () => {
    const servers = await Promise.all([listen('127.0.0.1'), listen('127.0.0.1')]);
    try {
      // Other test files run in parallel and open short-lived listeners: watch the listen table during the sweep, so
      // a port that really listened for a moment is not mistaken for a phantom (a self-connect never listens at all).
      const listening = machineListeners();
      const watch = setInterval(() => machineListeners().forEach((port) => listening.add(port)), 20);
      let result: Awaited<ReturnType<typeof sweepTcp>>;
      try {
        result = await sweepTcp({ ...base, concurrency: 500, timeoutMs: 300, addresses: ['127.0.0.1'], ports: range(1, 65535) });
      } finally {
        clearInterval(watch);
      }
      machineListeners().forEach((port) => listening.add(port));
      const open = result.byAddress[0]!.open;
      for (const server of servers) expect(open).toContain(portOf(server));
      // every port found open is really listening somewhere (no self-connect phantoms)
      expect(open.filter((port) => !listening.has(port))).toEqual([]);
      expect(result.byAddress[0]!.filtered).toEqual([]);
    } finally {
      await close(servers);
    }
  });

  it('reports a port whose SYNs are dropped as filtered after a retry pass', async () => {
    const { port, child, fillers } = await fullBacklogListener();
    try {
      const closed = await closedPort('127.0.0.1');
      const result = await sweepTcp({ ...base, timeoutMs: 100, addresses: ['127.0.0.1'], ports: [closed, port] });
      expect(result.byAddress[0]).toEqual({ address: '127.0.0.1', open: [], closed: 1, filtered: [port], unreachable: 0 });
      // the closed port's RST makes this a host where a timeout is surprising, so it got one retry
      expect(result.stats.retried).toBe(1);
    } finally {
      for (const socket of fillers) socket.destroy();
      child.kill('SIGKILL');
    }
  });

  it('rejects promptly with an AbortError when aborted, and leaks no sockets', async () => {
    const before = openFds();
    const controller = new AbortController();
    const sweep = sweepTcp({ ...base, concurrency: 50, addresses: ['127.0.0.1', '::1'], ports: range(1, 65535), signal: controller.signal });
    await sleep(50);
    const abortedAt = performance.now();
    controller.abort(new Error('shutdown'));
    await expect(sweep).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    expect(performance.now() - abortedAt).toBeLessThan(500);
    await sleep(100); // destroyed net.Sockets close on the next loop turns
    expect(openFds()).toBeLessThanOrEqual(before + 2);
  });

  it('rejects an already-aborted signal without probing', async () => {
    const signal = AbortSignal.abort();
    await expect(sweepTcp({ ...base, addresses: ['127.0.0.1'], ports: [1], signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it.each([
    [{ ports: [0] }, /port 0 is outside 1-65535/],
    [{ ports: [70000] }, /port 70000 is outside 1-65535/],
    [{ ports: [22.5] }, /port 22.5 is outside/],
    [{ ports: [] }, /ports must be a non-empty array/],
    [{ addresses: ['localhost'] }, /"localhost" is not an IPv4 or IPv6 literal/],
    [{ addresses: ['10.0.0.300'] }, /not an IPv4 or IPv6 literal/],
    [{ addresses: [] }, /addresses must be a non-empty array/],
    [{ concurrency: 0 }, /concurrency must be an integer/],
    [{ timeoutMs: -1 }, /timeoutMs must be an integer/],
    [{ retries: 1.5 }, /retries must be an integer/],
  ])('refuses invalid input %j', async (override, message) => {
    const request = { ...base, addresses: ['127.0.0.1'], ports: [1], ...override } as SweepRequest;
    await expect(sweepTcp(request)).rejects.toThrow(InvalidConfigError);
    await expect(sweepTcp(request)).rejects.toThrow(message);
  });
});
