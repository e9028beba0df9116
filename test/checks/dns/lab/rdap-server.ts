import { createServer, type Server } from 'node:http';

/**
 * A loopback RDAP service (RFC 9083 domain objects, RFC 9224 bootstrap file): `domains` are registered with the given
 * RDAP statuses, `failing` answer with an HTTP error, anything else is 404 (no such domain at the registry).
 */
export interface FakeRdapSpec {
  /** TLDs the bootstrap file points at this server. */
  readonly tlds: readonly string[];
  readonly domains?: Record<string, { readonly status: readonly string[]; readonly expires?: string }>;
  readonly failing?: Record<string, number>;
  /** Answer the bootstrap file with this HTTP status instead. */
  readonly bootstrapStatus?: number;
}

export interface FakeRdap {
  readonly bootstrapUrl: string;
  readonly baseUrl: string;
  /** Paths requested, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startFakeRdap(spec: FakeRdapSpec): Promise<FakeRdap> {
  const requests: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/rdap+json' });
      res.end(JSON.stringify(body));
    };
    if (path === '/bootstrap/dns.json') {
      if (spec.bootstrapStatus) return json(spec.bootstrapStatus, {});
      return json(200, { version: '1.0', publication: '2026-11-01T00:00:00Z', services: [[spec.tlds, [base]]] });
    }
    const domain = /^\/rdap\/domain\/([a-z0-9.-]+)$/.exec(path)?.[1];
    if (!domain) return json(400, { errorCode: 400, title: 'bad request' });
    const failing = spec.failing?.[domain];
    if (failing) return json(failing, { errorCode: failing, title: 'registry unavailable' });
    const registered = spec.domains?.[domain];
    if (!registered) return json(404, { errorCode: 404, title: 'Not Found', description: [`${domain} is not registered`] });
    return json(200, {
      objectClassName: 'domain',
      ldhName: domain.toUpperCase(),
      status: registered.status,
      events: [{ eventAction: 'registration', eventDate: '2019-03-01T00:00:00Z' }, ...(registered.expires ? [{ eventAction: 'expiration', eventDate: registered.expires }] : [])],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}/rdap/`;
  return {
    bootstrapUrl: `http://127.0.0.1:${port}/bootstrap/dns.json`,
    baseUrl: base,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
