import { createSocket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../../checks/dns/collect/limiter.js';
import { createDnsResolver } from '../../../../checks/dns/collect/resolver.js';

describe('per-resolver limits', () => {
  it('never runs more than `concurrency` tasks at once and serves waiters in order', async () => {
    const limit = createLimiter(3);
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        limit(async () => {
          active += 1;
          peak = Math.max(peak, active);
          order.push(index);
          await new Promise((resolve) => setTimeout(resolve, 2));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  it('spaces task starts to the configured rate', async () => {
    const limit = createLimiter(100, 200);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 11 }, () => limit(async () => void starts.push(performance.now()))));
    // 11 starts at 200/s span at least 10 intervals of 5 ms.
    expect(starts.at(-1)! - starts[0]!).toBeGreaterThanOrEqual(45);
  });

  it('holds each resolver server to its own concurrency, round-robin across servers', async () => {
    const inFlight = new Map<number, number>();
    const peaks = new Map<number, number>();
    const servers = await Promise.all(
      [0, 1].map(async () => {
        const socket = createSocket('udp4');
        socket.on('message', (message, remote) => {
          const port = socket.address().port;
          inFlight.set(port, (inFlight.get(port) ?? 0) + 1);
          peaks.set(port, Math.max(peaks.get(port) ?? 0, inFlight.get(port)!));
          const query = dnsPacket.decode(message);
          // Answer late so queries pile up if the limiter lets them.
          setTimeout(() => {
            inFlight.set(port, inFlight.get(port)! - 1);
            socket.send(dnsPacket.encode({ id: query.id, type: 'response', flags: dnsPacket.RECURSION_AVAILABLE, questions: query.questions, answers: [{ name: query.questions![0]!.name, type: 'A', ttl: 1, class: 'IN', data: '192.0.2.1' }] }), remote.port, remote.address);
          }, 5);
        });
        await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
        return socket;
      }),
    );
    try {
      const resolver = createDnsResolver({ servers: servers.map((socket) => `127.0.0.1:${socket.address().port}`), timeoutMs: 1000, tries: 1, concurrency: 4, ratePerSecond: 0 });
      const answers = await Promise.all(Array.from({ length: 40 }, (_, index) => resolver.query(`host-${index}.lab.test`, 'A')));
      expect(answers.every((answer) => answer.rcode === 'NOERROR' && answer.values[0] === '192.0.2.1')).toBe(true);
      expect([...peaks.values()]).toHaveLength(2);
      for (const peak of peaks.values()) expect(peak).toBeLessThanOrEqual(4);
    } finally {
      for (const socket of servers) socket.close();
    }
  });
});
