import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifyService } from '../../../checks/ports/collect/service-probe.js';
import { classifyGreeting, classifyProbeAnswer, printableBanner } from '../../../checks/ports/service-guess.js';
import { useTempDir } from '../../builders/temp-dir.js';

const tempDir = useTempDir();

function mysqlGreeting(version: string): Buffer {
  const body = Buffer.concat([Buffer.from([0x0a]), Buffer.from(`${version}\0`), Buffer.alloc(20, 1)]);
  const header = Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, 0, 0]);
  return Buffer.concat([header, body]);
}

describe('service classification (pure)', () => {
  it.each([
    ['SSH-2.0-OpenSSH_9.2\r\n', 'ssh'],
    ['220 mx.example.test ESMTP Postfix\r\n', 'smtp'],
    ['220 ProFTPD Server ready\r\n', 'ftp'],
    ['+OK Dovecot ready.\r\n', 'pop3'],
    ['* OK [CAPABILITY IMAP4rev1] ready\r\n', 'imap'],
  ])('greeting %j is %s', (greeting, service) => {
    expect(classifyGreeting(Buffer.from(greeting))).toBe(service);
  });

  it('recognises a MySQL handshake packet and rejects look-alikes', () => {
    expect(classifyGreeting(mysqlGreeting('10.11.6-MariaDB'))).toBe('mysql');
    expect(classifyGreeting(Buffer.from('hello world\r\n'))).toBeUndefined();
  });

  it('each probe confirms only its own protocol', () => {
    expect(classifyProbeAnswer('http', Buffer.from('HTTP/1.1 404 Not Found\r\n'))).toBe('http');
    expect(classifyProbeAnswer('redis', Buffer.from('+PONG\r\n'))).toBe('redis');
    expect(classifyProbeAnswer('redis', Buffer.from('-NOAUTH Authentication required.\r\n'))).toBe('redis');
    expect(classifyProbeAnswer('postgresql', Buffer.from('N'))).toBe('postgresql');
    expect(classifyProbeAnswer('postgresql', Buffer.from('NO'))).toBeUndefined();
    expect(classifyProbeAnswer('http', Buffer.from('+PONG\r\n'))).toBeUndefined();
  });

  it('keeps banners printable and bounded', () => {
    expect(printableBanner(Buffer.from('a\x1b[2Jb\r\nc'))).toBe('a.[2Jb c');
    expect(printableBanner(Buffer.alloc(500, 0x41))).toHaveLength(160);
  });
});

describe('identifyService against real servers on loopback', () => {
  const servers: Server[] = [];
  const ports: Record<string, number> = {};
  const sockets = new Set<Socket>();
  const serve = (server: Server) =>
    new Promise<number>((resolve) => {
      servers.push(server);
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
      });
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const plain = (handler: (socket: Socket) => void) =>
    createServer((socket) => {
      socket.on('error', () => {});
      handler(socket);
    });

  beforeAll(async () => {
    ports.mysql = await serve(plain((s) => s.write(mysqlGreeting('8.0.36'))));
    ports.postgres = await serve(plain((s) => s.once('data', (d) => (d.length === 8 && d.readUInt32BE(4) === 80877103 ? s.end('N') : s.destroy()))));
    ports.redis = await serve(plain((s) => s.on('data', (d) => (d.toString().startsWith('PING') ? s.write('-NOAUTH Authentication required.\r\n') : s.write('-ERR unknown command\r\n')))));
    ports.http = await serve(plain((s) => s.once('data', () => s.end('HTTP/1.0 302 Found\r\nLocation: /login\r\n\r\n'))));
    ports.silent = await serve(plain(() => {}));
    const dir = tempDir();
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=lab.example.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (s) => s.end());
    tls.on('tlsClientError', () => {});
    ports.tls = await serve(tls as unknown as Server);
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['mysql', 'mysql', /MySQL protocol 10, server 8\.0\.36/],
    ['postgres', 'postgresql', /^N$/],
    ['redis', 'redis', /NOAUTH/],
    ['http', 'http', /^HTTP\/1\.0 302/],
    ['tls', 'tls', /subject CN=lab\.example\.test/],
    ['silent', 'unknown', /^$/],
  ])('%s is identified as %s', async (name, service, banner) => {
    const started = Date.now();
    const identity = await identifyService('127.0.0.1', ports[name]!, { timeoutMs: 1200 });
    expect(identity.service).toBe(service);
    expect(identity.banner).toMatch(banner);
    // The budget: an open port is answered within about 2 s, silent ones included.
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
