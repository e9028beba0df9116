import { deserialize, serialize, type Document } from 'bson';
import { createServer as createHttpServer } from 'node:http';
import type { Socket } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProbeTimeout } from '../../../../checks/exposure/collect/exchange.js';
import { probeMemcached } from '../../../../checks/exposure/collect/memcached.js';
import { parseOpMsgReplies, probeMongo } from '../../../../checks/exposure/collect/mongodb.js';
import { probeRedis } from '../../../../checks/exposure/collect/redis.js';
import { triageEndpoint } from '../../../../checks/exposure/collect/triage.js';
import { exposureTargetOptions } from '../../../../checks/exposure/options.js';
import { LINE, onLines, useLab } from './lab.js';
import { useRedisServer } from './redis-server.js';

const lab = useLab();
const startRedis = useRedisServer();
const ports: Record<string, number> = {};

function fakeMemcached(authRequired: boolean) {
  return (socket: Socket) =>
    onLines(socket, (line) => {
      if (authRequired) return socket.write('CLIENT_ERROR unauthenticated\r\n');
      if (line === 'stats') socket.write('STAT pid 4242\r\nSTAT uptime 100\r\nSTAT version 1.6.21\r\nSTAT curr_connections 2\r\nSTAT curr_items 3\r\nEND\r\n');
      else socket.write('ERROR\r\n');
    });
}

/** Speaks OP_MSG: answers hello and buildInfo always, listDatabases only without access control. */
function fakeMongo(authRequired: boolean) {
  return (socket: Socket) => {
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 16 && buffered.length >= buffered.readInt32LE(0)) {
        const length = buffered.readInt32LE(0);
        const message = buffered.subarray(0, length);
        buffered = buffered.subarray(length);
        if (message.readInt32LE(12) !== 2013) return socket.destroy();
        const command = deserialize(message.subarray(21));
        const reply: Document =
          'hello' in command
            ? { isWritablePrimary: true, maxWireVersion: 21, ok: 1 }
            : 'buildInfo' in command
              ? { version: '7.0.2', ok: 1 }
              : authRequired
                ? { ok: 0, errmsg: 'command listDatabases requires authentication', code: 13, codeName: 'Unauthorized' }
                : { databases: [{ name: 'admin' }, { name: 'shop' }], ok: 1 };
        const body = Buffer.from(serialize(reply));
        const header = Buffer.alloc(21);
        header.writeInt32LE(21 + body.length, 0);
        header.writeInt32LE(99, 4);
        header.writeInt32LE(message.readInt32LE(4), 8);
        header.writeInt32LE(2013, 12);
        socket.write(Buffer.concat([header, body]));
      }
    });
  };
}

beforeAll(async () => {
  ports.redisOpen = await startRedis();
  ports.redisAuth = await startRedis(['--requirepass', ['vigil', 'test', String(process.pid)].join('-')]);
  ports.memcachedOpen = await lab.tcp(fakeMemcached(false));
  ports.memcachedAuth = await lab.tcp(fakeMemcached(true));
  ports.mongoOpen = await lab.tcp(fakeMongo(false));
  ports.mongoAuth = await lab.tcp(fakeMongo(true));
  ports.elastic = await lab.serve(
    createHttpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ name: 'n1', cluster_name: 'lab', version: { number: '8.11.1' }, tagline: 'You Know, for Search' }));
    }),
  );
  ports.garbage = await lab.tcp((socket) => socket.end(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x13, 0x37])));
  ports.silent = await lab.tcp(() => {});
  // Like an MQTT broker: closes on most garbage, but waits for more bytes after a TLS ClientHello.
  ports.hangsOnSome = await lab.tcp((socket) => socket.once('data', (d: Buffer) => (d[0] === 0x16 ? undefined : socket.destroy())));
}, 20_000);

describe('data store probes against real and fake servers on loopback', () => {
  it('real redis-server: open without a password, refused with requirepass', async () => {
    const open = await probeRedis('127.0.0.1', ports.redisOpen!, LINE);
    expect(open.open).toBe(true);
    expect(open.version).toMatch(/^\d+\.\d+/);
    expect(await probeRedis('127.0.0.1', ports.redisAuth!, LINE)).toEqual({ open: false, refusal: 'NOAUTH Authentication required.' });
  });

  it('memcached: stats answered vs CLIENT_ERROR unauthenticated', async () => {
    expect((await probeMemcached('127.0.0.1', ports.memcachedOpen!, LINE)).report).toEqual({ open: true, version: '1.6.21', currentItems: 3, currentConnections: 2 });
    expect((await probeMemcached('127.0.0.1', ports.memcachedAuth!, LINE)).report).toEqual({ open: false, refusal: 'CLIENT_ERROR unauthenticated' });
  });

  it('mongodb: listDatabases answered vs Unauthorized, and the OP_MSG framing round-trips', async () => {
    expect((await probeMongo('127.0.0.1', ports.mongoOpen!, LINE)).report).toEqual({ open: true, version: '7.0.2', databases: ['admin', 'shop'] });
    expect((await probeMongo('127.0.0.1', ports.mongoAuth!, LINE)).report).toEqual({
      open: false,
      version: '7.0.2',
      refusal: 'Unauthorized (13): command listDatabases requires authentication',
    });
    expect(parseOpMsgReplies(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'))).toEqual([]);
  });

  it('garbage and silence are not mistaken for any store; silence is a timeout', async () => {
    expect((await probeMongo('127.0.0.1', ports.garbage!, LINE)).report).toBeUndefined();
    expect((await probeMemcached('127.0.0.1', ports.garbage!, LINE)).report).toBeUndefined();
    await expect(probeRedis('127.0.0.1', ports.silent!, { connectTimeoutMs: 500, timeoutMs: 400 })).rejects.toBeInstanceOf(ProbeTimeout);
  });

  it('triage identifies each store from scratch and flags what it could not judge', async () => {
    // Generous budgets: this test is about naming, and the machine is shared; bench/exposure.js measures speed.
    const options = exposureTargetOptions.parse({ endpoints: ['127.0.0.1:1'], identifyTimeoutMs: 3000, probeTimeoutMs: 6000 });
    const triage = async (port: number) => triageEndpoint({ address: '127.0.0.1', port, hostnames: [], scope: 'host:127.0.0.1', source: 'sweep' }, options, [], new AbortController().signal);
    const results = await Promise.all(
      (['redisOpen', 'redisAuth', 'memcachedOpen', 'mongoAuth', 'elastic', 'garbage', 'silent', 'hangsOnSome'] as const).map(async (name) => [name, await triage(ports[name]!)] as const),
    );
    const byName = Object.fromEntries(results);
    expect(Object.fromEntries(results.map(([name, r]) => [name, r.triage.service]))).toEqual({
      redisOpen: 'redis',
      redisAuth: 'redis',
      memcachedOpen: 'memcached',
      mongoAuth: 'mongodb',
      elastic: 'http',
      garbage: 'unknown',
      silent: 'unknown',
      hangsOnSome: 'unknown',
    });
    expect(byName.redisOpen!.triage.redis?.open).toBe(true);
    expect(byName.redisAuth!.triage.redis?.open).toBe(false);
    expect(JSON.parse(byName.elastic!.triage.http!.root.body).cluster_name).toBe('lab');
    for (const [name, result] of results) if (name !== 'silent' && name !== 'hangsOnSome') expect(result.triage.elapsedMs).toBeLessThan(3000);
    // Garbage that closes is an unknown service; silence, or a probe still waiting with nothing matched, is "could not look".
    expect(results.flatMap(([name, r]) => r.failures.map((f) => [name, f.probe, f.error.name]))).toEqual([
      ['silent', 'identify', 'CollectorTimeout'],
      ['hangsOnSome', 'identify', 'CollectorTimeout'],
    ]);
  });
});
