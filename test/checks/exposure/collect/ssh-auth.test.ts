import ssh2 from 'ssh2';
import { beforeAll, describe, expect, it } from 'vitest';
import { ProbeFailed, ProbeTimeout } from '../../../../checks/exposure/collect/exchange.js';
import { probeSshAuth } from '../../../../checks/exposure/collect/ssh-auth.js';
import { useLab } from './lab.js';
import { sshHostKey } from './ssh-host-key.js';

const { Server, utils } = ssh2;
const lab = useLab();
const ports: Record<string, number> = {};
const attempts: { method: string; password?: string }[] = [];

function sshServer(offered: string[], acceptNone = false): ssh2.Server {
  const server = new Server({ hostKeys: [sshHostKey()], ident: 'OpenSSH_9.2p1 Debian-2+deb12u3' }, (client) => {
    client.on('error', () => {});
    client.on('authentication', (ctx) => {
      attempts.push({ method: ctx.method, ...(ctx.method === 'password' ? { password: ctx.password } : {}) });
      if (ctx.method === 'none' && acceptNone) return ctx.accept();
      ctx.reject(offered);
    });
    client.on('ready', () => client.end());
  });
  return server;
}

beforeAll(async () => {
  ports.password = await lab.serve(sshServer(['publickey', 'password', 'keyboard-interactive']) as never);
  ports.keysOnly = await lab.serve(sshServer(['publickey']) as never);
  ports.none = await lab.serve(sshServer([], true) as never);
  ports.bannerThenClose = await lab.tcp((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
  ports.silent = await lab.tcp(() => {});
});

describe('probeSshAuth against ssh2 servers on loopback', () => {
  it('lists password and keyboard-interactive when offered, with the server software', async () => {
    const report = await probeSshAuth('127.0.0.1', ports.password!, { timeoutMs: 3000 });
    expect(report).toEqual({ software: 'OpenSSH_9.2p1', methods: ['keyboard-interactive', 'password', 'publickey'], noneAccepted: false });
  });

  it('sees a key-only server, and never sends a password', async () => {
    const report = await probeSshAuth('127.0.0.1', ports.keysOnly!, { timeoutMs: 3000 });
    expect(report.methods).toEqual(['publickey']);
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((attempt) => attempt.method === 'none' && attempt.password === undefined)).toBe(true);
  });

  it('notices a server that lets `none` in', async () => {
    const report = await probeSshAuth('127.0.0.1', ports.none!, { timeoutMs: 3000 });
    expect(report.noneAccepted).toBe(true);
  });

  it('a server that closes mid-handshake is a failed probe, a silent one a timeout', async () => {
    await expect(probeSshAuth('127.0.0.1', ports.bannerThenClose!, { timeoutMs: 2000 })).rejects.toBeInstanceOf(ProbeFailed);
    const started = Date.now();
    await expect(probeSshAuth('127.0.0.1', ports.silent!, { timeoutMs: 600 })).rejects.toBeInstanceOf(ProbeTimeout);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
