import { describe, expect, it } from 'vitest';
import { ProbeCode, retryPlan, type EngineRequest } from '../../../checks/ports/collect/tcp-sweep-contract.js';
import { runJsSweep, type ConnectOutcome, type ProbeConnector } from '../../../checks/ports/collect/tcp-sweep-js.js';

// Timeout, retry and error paths that loopback cannot produce on demand, driven through the JS engine's connector
// seam. No packet leaves the process: the fake connector answers for the documentation-only 192.0.2.0/24 addresses.

type Script = (address: string, port: number, attempt: number) => ConnectOutcome | 'silence';

function fakeConnector(script: Script): { connect: ProbeConnector; attempts: Map<string, number>; abandoned: number } {
  const state = { attempts: new Map<string, number>(), abandoned: 0 };
  const connect: ProbeConnector = (address, port, settle) => {
    const key = `${address}:${port}`;
    const attempt = (state.attempts.get(key) ?? 0) + 1;
    state.attempts.set(key, attempt);
    const outcome = script(address, port, attempt);
    if (outcome !== 'silence') queueMicrotask(() => settle(outcome));
    return () => {
      state.abandoned += 1;
    };
  };
  return Object.assign(state, { connect });
}

function request(addresses: string[], ports: number[], retries = 1): EngineRequest {
  return { addresses, ports: Uint16Array.from(ports), concurrency: 10, timeoutMs: 40, retries, ...retryPlan(10, 40) };
}

const refused: ConnectOutcome = { kind: 'error', code: 'ECONNREFUSED' };
const connected = (port: number): ConnectOutcome => ({ kind: 'connected', localAddress: '192.0.2.99', localPort: 50_000, remoteAddress: '192.0.2.1', remotePort: port });

describe('JS sweep engine timeouts and retries (fake connector)', () => {
  it('recovers a port that timed out once on a host that sends RSTs', async () => {
    const fake = fakeConnector((_, port, attempt) => (port === 443 ? (attempt === 1 ? 'silence' : connected(443)) : refused));
    const { states, stats } = await runJsSweep(request(['192.0.2.1'], [22, 443]), fake.connect);
    expect([...states]).toEqual([ProbeCode.closed, ProbeCode.open]);
    expect(stats).toMatchObject({ probes: 3, retried: 1 });
    expect(fake.abandoned).toBe(1);
  });

  it('reports filtered after every retry times out, with the longer retry timeout', async () => {
    const fake = fakeConnector((_, port) => (port === 443 ? 'silence' : refused));
    const started = performance.now();
    const { states, stats } = await runJsSweep(request(['192.0.2.1'], [22, 443], 2), fake.connect);
    expect([...states]).toEqual([ProbeCode.closed, ProbeCode.filtered]);
    expect(stats.retried).toBe(2);
    expect(fake.attempts.get('192.0.2.1:443')).toBe(3);
    // 40 ms, then two passes of 120 ms
    expect(performance.now() - started).toBeGreaterThanOrEqual(270);
  });

  it('does not retry a host that drops everything (no RST seen): the next run covers it', async () => {
    const fake = fakeConnector((address, port) => (address === '192.0.2.2' ? 'silence' : port === 80 ? connected(80) : refused));
    const { states, stats } = await runJsSweep(request(['192.0.2.1', '192.0.2.2'], [80, 81]), fake.connect);
    expect([...states]).toEqual([ProbeCode.open, ProbeCode.closed, ProbeCode.filtered, ProbeCode.filtered]);
    expect(stats.retried).toBe(0);
  });

  it('maps unreachable networks apart from closed ports', async () => {
    const fake = fakeConnector((_, port) => ({ kind: 'error', code: port === 1 ? 'EHOSTUNREACH' : 'ENETUNREACH' }));
    const { states, stats } = await runJsSweep(request(['192.0.2.1'], [1, 2]), fake.connect);
    expect([...states]).toEqual([ProbeCode.unreachable, ProbeCode.unreachable]);
    expect(stats.retried).toBe(0);
  });

  it('retries a local resource error even on a silent host, and reports filtered if it never clears', async () => {
    const fake = fakeConnector((_, port, attempt) =>
      port === 1 ? { kind: 'error', code: 'EADDRNOTAVAIL' } : attempt === 1 ? { kind: 'error', code: 'EMFILE' } : connected(2),
    );
    const { states, stats } = await runJsSweep(request(['192.0.2.1'], [1, 2]), fake.connect);
    expect([...states]).toEqual([ProbeCode.filtered, ProbeCode.open]);
    expect(stats).toMatchObject({ localErrors: 3, retried: 2 });
  });

  it('drops a self-connect phantom (local endpoint == remote endpoint) as closed', async () => {
    const phantom: ConnectOutcome = { kind: 'connected', localAddress: '127.0.0.1', localPort: 40_000, remoteAddress: '127.0.0.1', remotePort: 40_000 };
    const fake = fakeConnector(() => phantom);
    const { states, stats } = await runJsSweep(request(['127.0.0.1'], [40_000]), fake.connect);
    expect([...states]).toEqual([ProbeCode.closed]);
    expect(stats.selfConnects).toBe(1);
  });

  it('never has more probes in flight than the concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const connect: ProbeConnector = (_address, _port, settle) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight -= 1;
        settle(refused);
      }, 1);
      return () => {};
    };
    const { states } = await runJsSweep({ ...request(['192.0.2.1'], Array.from({ length: 100 }, (_, i) => i + 1)), concurrency: 7 }, connect);
    expect(states.every((state) => state === ProbeCode.closed)).toBe(true);
    expect(peak).toBe(7);
  });
});
