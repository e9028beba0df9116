import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import dnsPacket from 'dns-packet';
import type { z } from 'zod';
import type { nameserverOptions } from '../options.js';
import { createLimiter } from './limiter.js';

/** How one delegated server answered "SOA of this zone?", asked directly with recursion off. */
export const SERVER_STATUSES = ['authoritative', 'not-authoritative', 'REFUSED', 'SERVFAIL', 'NXDOMAIN', 'TIMEOUT', 'ERROR'] as const;
export type ServerStatus = (typeof SERVER_STATUSES)[number];

/** Seam (`ctx.services.nameserverQuery`); tests aim it at the lab's per-nameserver emulators. */
export type NameserverQuery = (address: string, zone: string) => Promise<ServerStatus>;

const RCODE_NAMES: Record<number, ServerStatus> = { 2: 'SERVFAIL', 3: 'NXDOMAIN', 5: 'REFUSED' };

/**
 * One UDP question to one server, with its own timeout and retries. node:dns cannot do this: it hides the AA bit,
 * and "answers, but not authoritatively" is exactly what tells a lame server from a live one. dns-packet (already a
 * dependency) encodes and decodes; the transport is a single datagram per try.
 */
export function createNameserverQuery(options: z.output<typeof nameserverOptions>, port = 53): NameserverQuery {
  const limit = createLimiter(options.concurrency);
  return (address, zone) =>
    limit(async () => {
      let last: ServerStatus = 'TIMEOUT';
      for (let attempt = 0; attempt < options.tries; attempt += 1) {
        last = await askOnce(address, port, zone, options.timeoutMs);
        if (last !== 'TIMEOUT') return last;
      }
      return last;
    });
}

function askOnce(address: string, port: number, zone: string, timeoutMs: number): Promise<ServerStatus> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    const id = Math.floor(Math.random() * 65_535);
    let settled = false;
    const finish = (status: ServerStatus) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.close();
      resolve(status);
    };
    const timer = setTimeout(() => finish('TIMEOUT'), timeoutMs);
    socket.on('error', () => finish('ERROR'));
    socket.on('message', (message, remote) => {
      if (remote.address !== address || remote.port !== port) return;
      let packet: dnsPacket.Packet;
      try {
        packet = dnsPacket.decode(message);
      } catch {
        return finish('ERROR');
      }
      if (packet.id !== id) return;
      const flags = packet.flags ?? 0;
      const rcode = flags & 0x0f;
      if (rcode !== 0) return finish(RCODE_NAMES[rcode] ?? 'ERROR');
      const hasSoa = (packet.answers ?? []).some((answer) => answer.type === 'SOA' && answer.name.toLowerCase().replace(/\.$/, '') === zone);
      finish(hasSoa && (flags & dnsPacket.AUTHORITATIVE_ANSWER) !== 0 ? 'authoritative' : 'not-authoritative');
    });
    const query = dnsPacket.encode({ type: 'query', id, flags: 0, questions: [{ type: 'SOA', name: zone, class: 'IN' }] });
    socket.send(query, port, address, (error) => {
      if (error) finish('ERROR');
    });
  });
}
