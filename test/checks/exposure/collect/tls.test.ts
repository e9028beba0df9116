import { createServer, type TlsOptions } from 'node:tls';
import { createServer as createTcpServer, type Server } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import tlsCertificate from '../../../../checks/exposure/tls-certificate.js';
import tlsLegacyProtocols from '../../../../checks/exposure/tls-legacy-protocols.js';
import { probeTls } from '../../../../checks/exposure/collect/tls.js';
import { triageEndpoint } from '../../../../checks/exposure/collect/triage.js';
import { exposureTargetOptions } from '../../../../checks/exposure/options.js';
import type { AnyCheck } from '../../../../src/check-api/types.js';
import { silentLogger } from '../../../../src/log.js';
import { executeRun } from '../../../../jobs/runner.js';
import { useCertificateLab, type KeyPair } from './certificates.js';
import { LINE, useLab } from './lab.js';

const lab = useLab();
const certs = useCertificateLab();
const ports: Record<string, number> = {};

function tlsServer(pair: KeyPair, extra: TlsOptions = {}): Server {
  const server = createServer({ key: pair.key, cert: pair.cert, ...extra }, (socket) => socket.end());
  server.on('tlsClientError', () => {});
  return server as unknown as Server;
}

beforeAll(async () => {
  const good = certs.signed('www.lab.test', -1, 90);
  ports.good = await lab.serve(tlsServer(good));
  ports.soon = await lab.serve(tlsServer(certs.signed('soon.lab.test', -80, 5)));
  ports.expired = await lab.serve(tlsServer(certs.signed('old.lab.test', -400, -3)));
  ports.selfSigned = await lab.serve(tlsServer(certs.selfSigned('self.lab.test', 200)));
  ports.weak = await lab.serve(tlsServer(certs.signed('weak.lab.test', -1, 90, 1024), { ciphers: 'DEFAULT@SECLEVEL=0' }));
  // Node 20's OpenSSL serves TLS 1.0 only when both sides lower the security level; measured, not assumed.
  ports.tls10 = await lab.serve(tlsServer(good, { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' }));
  ports.tls11 = await lab.serve(tlsServer(good, { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT@SECLEVEL=0' }));
  // Like nginx with `ssl` on the port: a ClientHello gets TLS, plain HTTP gets "400 ... sent to HTTPS port".
  const behind = createServer({ ...good }, (socket) => socket.end());
  behind.on('tlsClientError', () => {});
  ports.nginxLike = await lab.serve(
    createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (first: Buffer) => {
        if (first[0] === 0x16) {
          socket.pause();
          socket.unshift(first);
          // The TLS side answers later than the plain-HTTP 400, as it does over a real network (2 round trips vs 1).
          setTimeout(() => behind.emit('connection', socket), 150);
        } else socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\n\r\n<title>400 The plain HTTP request was sent to HTTPS port</title>');
      });
    }),
  );
  ports.silent = await lab.tcp(() => {});
  ports.closes = await lab.tcp((socket) => socket.once('data', () => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n')));
}, 30_000);

describe('probeTls against servers with certificates made by openssl at test time', () => {
  it('reads a trusted chain (with caFiles), the negotiated version, and refuses nothing it should not', async () => {
    const report = await probeTls('127.0.0.1', ports.good!, { ...LINE, servername: 'www.lab.test', ca: [await import('node:fs').then((fs) => fs.readFileSync(certs.caFile))] });
    expect(report.protocol).toBe('TLSv1.3');
    expect(report.verifyError).toBeUndefined();
    expect(report.hostnameError).toBeUndefined();
    expect(report.legacyAccepted).toEqual([]);
    expect(report.chain[0]).toMatchObject({ subject: 'CN=www.lab.test', issuer: 'CN=Vigil Lab CA', keyType: 'rsa', keyBits: 2048 });
  });

  it('without the lab CA the same chain is untrusted; a wrong name is reported', async () => {
    const report = await probeTls('127.0.0.1', ports.good!, { ...LINE, servername: 'api.lab.test' });
    expect(report.verifyError).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(report.hostnameError).toMatch(/does not match certificate's altnames/);
  });

  it('detects TLS 1.0 and 1.1 where the server accepts them, and gets the certificate from a TLS 1.0-only server', async () => {
    const only10 = await probeTls('127.0.0.1', ports.tls10!, LINE);
    expect(only10.legacyAccepted).toEqual(['TLSv1']);
    expect(only10.protocol).toBeUndefined();
    expect(only10.chain[0]?.subject).toBe('CN=www.lab.test');
    expect((await probeTls('127.0.0.1', ports.tls11!, LINE)).legacyAccepted).toEqual(['TLSv1', 'TLSv1.1']);
  });

  it('a silent port times out; a port that answers plain text fails', async () => {
    await expect(probeTls('127.0.0.1', ports.silent!, { connectTimeoutMs: 500, timeoutMs: 500 })).rejects.toMatchObject({ name: 'ProbeTimeout' });
    await expect(probeTls('127.0.0.1', ports.closes!, LINE)).rejects.toMatchObject({ name: 'ProbeFailed' });
  });
});

describe('identification of a swept TLS port', () => {
  it('an HTTPS port that answers plain HTTP with a 400 is still TLS', async () => {
    const options = exposureTargetOptions.parse({ hosts: ['127.0.0.1'], identifyTimeoutMs: 3000, probeTimeoutMs: 6000 });
    const { triage } = await triageEndpoint({ address: '127.0.0.1', port: ports.nginxLike!, hostnames: [], scope: 'host:127.0.0.1', source: 'sweep' }, options, [], new AbortController().signal);
    expect(triage.service).toBe('tls');
    expect(triage.tls?.chain[0]?.subject).toBe('CN=www.lab.test');
  });
});

describe('exposure.tls-certificate and exposure.tls-legacy-protocols end to end', () => {
  const run = (check: AnyCheck, options: unknown, services: Record<string, unknown>) =>
    executeRun({ runId: 'r', checkId: check.id, targetId: 't', trigger: 'cli', options, timeoutMs: 20_000 }, { checks: { get: () => check }, log: silentLogger, services });

  it('reports expiring, expired, self-signed, wrong-name and weak-key certificates and legacy protocols', async () => {
    const endpoint = (port: number, servername: string) => ({ endpoint: `127.0.0.1:${port}`, servername });
    const options = {
      tlsEndpoints: [
        endpoint(ports.good!, 'www.lab.test'),
        endpoint(ports.good!, 'api.lab.test'),
        endpoint(ports.soon!, 'soon.lab.test'),
        endpoint(ports.expired!, 'old.lab.test'),
        endpoint(ports.selfSigned!, 'self.lab.test'),
        endpoint(ports.weak!, 'weak.lab.test'),
        endpoint(ports.tls10!, 'www.lab.test'),
      ],
      caFiles: [certs.caFile],
    };
    const services = {};
    const certificate = await run(tlsCertificate as unknown as AnyCheck, options, services);
    expect(certificate.outcome).toBe('ok');
    const found = certificate.findings.map((f) => `${f.resourceId.split(':')[1]}/${f.key}/${f.severity}`).sort();
    const p = (name: string) => String(ports[name]);
    expect(found).toEqual(
      [
        `${p('good')}/hostname/high`,
        `${p('soon')}/expiry/high`,
        `${p('expired')}/expiry/critical`,
        `${p('selfSigned')}/untrusted/medium`,
        `${p('weak')}/weak-key/high`,
      ].sort(),
    );
    const legacy = await run(tlsLegacyProtocols as unknown as AnyCheck, options, services);
    expect(legacy.outcome).toBe('ok');
    expect(legacy.findings.map((f) => [f.resourceId, f.title])).toEqual([[`127.0.0.1:${ports.tls10}`, `TLS on www.lab.test (127.0.0.1:${ports.tls10}) accepts TLS 1.0`]]);
  });

  it('a TLS endpoint that never answers makes the run partial for that endpoint, never clean', async () => {
    const result = await run(tlsCertificate as unknown as AnyCheck, { tlsEndpoints: [`127.0.0.1:${ports.silent}`, `127.0.0.1:${ports.good}`], probeTimeoutMs: 600, connectTimeoutMs: 300 }, {});
    expect(result.outcome).toBe('partial');
    expect(result.coverage.failed.map((f) => [f.scope, f.error.name])).toEqual([[`endpoint:127.0.0.1:${ports.silent}`, 'CollectorTimeout']]);
    expect(result.coverage.ok).toEqual([`endpoint:127.0.0.1:${ports.good}`]);
  });
});
