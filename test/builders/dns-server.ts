import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';

export interface LabDnsServer {
  readonly address: string;
  close(): Promise<void>;
}

/**
 * A real DNS server on loopback answering from a small table; every other name is NXDOMAIN. Lets tests resolve names
 * without ever querying the machine's real resolver.
 */
export async function startLabDns(records: Record<string, { A?: string[]; AAAA?: string[] }> = {}): Promise<LabDnsServer> {
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message, remote) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const entry = question ? records[question.name.toLowerCase()] : undefined;
    const type = question?.type as 'A' | 'AAAA' | undefined;
    const answers = entry && type && entry[type] ? entry[type]!.map((data) => ({ name: question!.name, type, ttl: 60, class: 'IN' as const, data })) : [];
    const response = dnsPacket.encode({
      id: query.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (entry ? 0 : 3),
      questions: query.questions ?? [],
      answers: answers as dnsPacket.Answer[],
    });
    socket.send(response, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
