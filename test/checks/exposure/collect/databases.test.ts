import type { Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProbeFailed } from '../../../../checks/exposure/collect/exchange.js';
import { parseMysqlGreeting, probeMysql } from '../../../../checks/exposure/collect/mysql.js';
import { probePostgres } from '../../../../checks/exposure/collect/postgresql.js';
import { LINE, reachable, useLab } from './lab.js';

const lab = useLab();
const ports: Record<string, number> = {};
const received: Record<string, Buffer[]> = {};

function pgMessage(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(4 + body.length, 1);
  return Buffer.concat([head, body]);
}
const int32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(value);
  return b;
};

/** Answers the start-up message the way a server configured with `method` in pg_hba.conf does. */
function fakePostgres(name: string, method: 'trust' | 'scram' | 'md5' | 'reject' | 'trust-no-role') {
  return (socket: Socket) => {
    received[name] = [];
    socket.on('data', (chunk: Buffer) => {
      received[name]!.push(chunk);
      if (chunk.length >= 8 && chunk.readInt32BE(4) === 196608) {
        if (method === 'trust') {
          socket.write(
            Buffer.concat([
              pgMessage('R', int32(0)),
              pgMessage('S', Buffer.from('server_version\x0016.4\x00')),
              pgMessage('K', Buffer.concat([int32(1), int32(2)])),
              pgMessage('Z', Buffer.from('I')),
            ]),
          );
        } else if (method === 'scram') socket.write(pgMessage('R', Buffer.concat([int32(10), Buffer.from('SCRAM-SHA-256\x00SCRAM-SHA-256-PLUS\x00\x00')])));
        else if (method === 'trust-no-role') socket.end(pgMessage('E', Buffer.from('SFATAL\x00C28000\x00Mrole "postgres" does not exist\x00\x00')));
        else if (method === 'md5') socket.write(pgMessage('R', Buffer.concat([int32(5), Buffer.from([1, 2, 3, 4])])));
        else socket.end(pgMessage('E', Buffer.from('SFATAL\x00C28000\x00Mno pg_hba.conf entry for host "10.0.0.9"\x00\x00')));
      }
    });
  };
}

function mysqlGreeting(version: string, plugin: string, capabilities: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([0x0a]),
    Buffer.from(`${version}\0`),
    Buffer.from([1, 0, 0, 0]), // connection id
    Buffer.alloc(8, 0x41), // auth data part 1
    Buffer.from([0]),
    Buffer.from([capabilities & 0xff, (capabilities >> 8) & 0xff]),
    Buffer.from([0x21, 2, 0]),
    Buffer.from([(capabilities >> 16) & 0xff, (capabilities >> 24) & 0xff]),
    Buffer.from([21]),
    Buffer.alloc(10),
    Buffer.alloc(13, 0x42),
    Buffer.from(`${plugin}\0`),
  ]);
  return Buffer.concat([Buffer.from([body.length & 0xff, (body.length >> 8) & 0xff, 0, 0]), body]);
}

function mysqlError(code: number, message: string): Buffer {
  const body = Buffer.concat([Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(message)]);
  return Buffer.concat([Buffer.from([body.length, 0, 0, 0]), body]);
}

beforeAll(async () => {
  for (const method of ['trust', 'scram', 'md5', 'reject', 'trust-no-role'] as const) ports[`pg-${method}`] = await lab.tcp(fakePostgres(`pg-${method}`, method));
  ports.mysql = await lab.tcp((socket) => socket.write(mysqlGreeting('8.0.36', 'caching_sha2_password', 0xffff | (0x81bf << 16))));
  ports.mysqlDenied = await lab.tcp((socket) => socket.end(mysqlError(1130, "Host '10.0.0.9' is not allowed to connect to this MySQL server")));
  ports.closes = await lab.tcp((socket) => socket.end(Buffer.from([0x05, 0x00])));
});

describe('PostgreSQL start-up probe (no password is ever sent)', () => {
  it('tells trust from scram, md5 and a pg_hba refusal', async () => {
    expect(await probePostgres('127.0.0.1', ports['pg-trust']!, { ...LINE, user: 'postgres' })).toEqual({ auth: 'trust', serverVersion: '16.4' });
    expect(await probePostgres('127.0.0.1', ports['pg-scram']!, { ...LINE, user: 'postgres' })).toEqual({ auth: 'scram', mechanisms: ['SCRAM-SHA-256', 'SCRAM-SHA-256-PLUS'] });
    expect(await probePostgres('127.0.0.1', ports['pg-md5']!, { ...LINE, user: 'postgres' })).toEqual({ auth: 'md5' });
    expect(await probePostgres('127.0.0.1', ports['pg-reject']!, { ...LINE, user: 'postgres' })).toEqual({
      auth: 'rejected',
      error: { code: '28000', message: 'no pg_hba.conf entry for host "10.0.0.9"' },
    });
    // Only trust looks the role up before asking for a password.
    expect(await probePostgres('127.0.0.1', ports['pg-trust-no-role']!, { ...LINE, user: 'postgres' })).toEqual({
      auth: 'trust',
      error: { code: '28000', message: 'role "postgres" does not exist' },
    });
  });

  it('sends only the start-up message, and Terminate after trust', async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = Buffer.concat(received['pg-trust']!);
    expect(sent.readInt32BE(4)).toBe(196608);
    expect(sent.subarray(sent.readInt32BE(0))).toEqual(Buffer.from([0x58, 0, 0, 0, 4]));
    const scram = Buffer.concat(received['pg-scram']!);
    expect(scram.length).toBe(scram.readInt32BE(0));
  });

  it('the PostgreSQL on this machine, when it answers, is classified (trust here)', async () => {
    if (!(await reachable(5432))) {
      await expect(probePostgres('127.0.0.1', 5432, { ...LINE, user: 'postgres' })).rejects.toBeInstanceOf(ProbeFailed);
      return;
    }
    const report = await probePostgres('127.0.0.1', 5432, { ...LINE, user: 'postgres' });
    expect(['trust', 'scram', 'md5', 'rejected']).toContain(report.auth);
    if (report.auth === 'trust') expect(report.serverVersion).toMatch(/^\d+/);
  });
});

describe('MySQL greeting probe', () => {
  it('reads version, auth plugin and TLS capability, and error packets', async () => {
    expect(await probeMysql('127.0.0.1', ports.mysql!, LINE)).toEqual({ handshake: true, version: '8.0.36', tls: true, authPlugin: 'caching_sha2_password' });
    expect(await probeMysql('127.0.0.1', ports.mysqlDenied!, LINE)).toEqual({
      handshake: false,
      error: { code: 1130, message: "Host '10.0.0.9' is not allowed to connect to this MySQL server" },
    });
    await expect(probeMysql('127.0.0.1', ports.closes!, LINE)).rejects.toBeInstanceOf(ProbeFailed);
    expect(parseMysqlGreeting(Buffer.from('SSH-2.0-x\r\n'))).toBeUndefined();
  });

  it('the MariaDB on this machine, when it answers, greets with protocol 10', async () => {
    if (!(await reachable(3306))) {
      await expect(probeMysql('127.0.0.1', 3306, LINE)).rejects.toBeInstanceOf(ProbeFailed);
      return;
    }
    const report = await probeMysql('127.0.0.1', 3306, LINE);
    expect(report.handshake || report.error !== undefined).toBe(true);
    if (report.handshake) expect(report.version).toMatch(/^\d+\.\d+/);
  });
});
