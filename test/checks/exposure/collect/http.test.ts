import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeHttp } from '../../../../checks/exposure/collect/http.js';
import { FINGERPRINT_PATHS } from '../../../../checks/exposure/http-fingerprints.js';
import { LINE, useLab } from './lab.js';

const lab = useLab();
const ports: Record<string, number> = {};
const seen: { method: string; path: string; host: string }[] = [];

const serve = (listener: RequestListener) =>
  lab.serve(
    createHttpServer((req, res) => {
      seen.push({ method: req.method ?? '', path: req.url ?? '', host: req.headers.host ?? '' });
      listener(req, res);
    }),
  );

beforeAll(async () => {
  ports.hardened = await serve((_req, res) => {
    res.writeHead(200, { 'content-security-policy': "default-src 'self'; frame-ancestors 'none'", 'x-content-type-options': 'nosniff', 'content-type': 'text/html' });
    res.end('<html><head><title>Shop</title></head></html>');
  });
  ports.leaky = await serve((req, res) => {
    if (req.url === '/.git/HEAD') return res.end('ref: refs/heads/main\n');
    if (req.url === '/slow-never') return;
    res.writeHead(req.url === '/' ? 200 : 404, { server: 'Apache/2.4.57 (Debian)', 'content-type': 'text/html' });
    res.end(req.url === '/' ? '<html><head><title>Index of /</title></head><body><a href="backup.sql">backup.sql</a></body></html>' : 'not found');
  });
  ports.stalls = await serve((req, res) => {
    if (req.url === '/') return res.end('<title>ok</title>');
    // every other path hangs: the exposed-paths check must not call this endpoint clean
  });
});

describe('probeHttp on loopback servers', () => {
  it('reads status, headers and title of / and asks each fingerprint path once, with GET only', async () => {
    const before = seen.length;
    const report = await probeHttp('127.0.0.1', ports.hardened!, { ...LINE, scheme: 'http', paths: FINGERPRINT_PATHS, hostHeader: 'shop.lab.test' });
    expect(report.root).toMatchObject({ path: '/', status: 200, title: 'Shop' });
    expect(report.root.headers['x-content-type-options']).toBe('nosniff');
    expect(report.paths.map((p) => p.path).sort()).toEqual(FINGERPRINT_PATHS.filter((p) => p !== '/').sort());
    const requests = seen.slice(before);
    expect(requests.every((r) => r.method === 'GET')).toBe(true);
    expect(new Set(requests.map((r) => r.host))).toEqual(new Set([`shop.lab.test:${ports.hardened}`]));
  });

  it('keeps directory listings and disclosed versions visible to the evaluators', async () => {
    const report = await probeHttp('127.0.0.1', ports.leaky!, { ...LINE, scheme: 'http', paths: ['/', '/.git/HEAD'] });
    expect(report.root.title).toBe('Index of /');
    expect(report.root.headers.server).toBe('Apache/2.4.57 (Debian)');
    expect(report.paths).toEqual([expect.objectContaining({ path: '/.git/HEAD', status: 200, body: 'ref: refs/heads/main\n' })]);
  });

  it('reports paths that time out instead of dropping them', async () => {
    const report = await probeHttp('127.0.0.1', ports.stalls!, { connectTimeoutMs: 500, timeoutMs: 600, scheme: 'http', paths: ['/', '/.env', '/metrics'] });
    expect(report.root.status).toBe(200);
    expect([...report.timedOutPaths].sort()).toEqual(['/.env', '/metrics']);
  });
});
