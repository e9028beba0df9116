import { createServer, type Server, type Socket } from 'node:net';
import { afterAll } from 'vitest';

/** Loopback listeners for probe tests, closed (with their sockets) after the file's tests. */
export function useLab() {
  const servers: { close(cb: () => void): void }[] = [];
  const sockets = new Set<Socket>();
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  });
  const track = (socket: Socket) => {
    // ssh2's Server emits its own client objects on 'connection'; only plain sockets are tracked.
    if (typeof (socket as Partial<Socket>).destroy !== 'function') return;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  return {
    track,
    /** Any server with listen(port, host, cb) and address(). */
    serve(server: Server, host = '127.0.0.1'): Promise<number> {
      servers.push(server);
      server.on('connection', track);
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, host, () => resolve((server.address() as { port: number }).port));
      });
    },
    tcp(handler: (socket: Socket) => void, host = '127.0.0.1'): Promise<number> {
      return this.serve(createServer(handler), host);
    },
  };
}

/** Calls back once per complete line (CRLF or LF) the client sends. */
export function onLines(socket: Socket, handler: (line: string) => void): void {
  let buffered = '';
  socket.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('latin1');
    let index: number;
    while ((index = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, index).replace(/\r$/, '');
      buffered = buffered.slice(index + 1);
      handler(line);
    }
  });
}

export async function reachable(port: number, host = '127.0.0.1'): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('connect', () => done(true));
    socket.on('error', () => done(false));
  });
}

export const LINE = { connectTimeoutMs: 1000, timeoutMs: 1500 };
