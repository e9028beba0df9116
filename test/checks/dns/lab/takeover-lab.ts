import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { selfSignedCertificate } from './self-signed.js';

/**
 * The offline takeover lab (shared research "takeover-ports.md" §3): a recursive-view DNS server that follows CNAME
 * chains itself and returns the final rcode with the chain, per-nameserver emulators on their own 127.0.x.y address
 * (authoritative SOA, REFUSED, SERVFAIL, or silence), and one HTTP server choosing the page by Host header.
 * Everything listens on loopback; nothing here resolves or fetches a real name.
 */
export interface LabName {
  readonly CNAME?: string;
  readonly A?: readonly string[];
  readonly AAAA?: readonly string[];
  readonly TXT?: readonly string[];
  readonly NS?: readonly string[];
  /** Answer every query for this name with this rcode (the name's authoritative server is broken or refusing). */
  readonly rcode?: 'SERVFAIL' | 'REFUSED' | 'NXDOMAIN';
  /** Never answer (a timeout). */
  readonly drop?: boolean;
}

export type NameserverBehaviour = 'authoritative' | 'refused' | 'servfail' | 'drop' | 'not-authoritative';

export interface LabNameserver {
  readonly address: string;
  /** Zones this server answers SOA for when `authoritative`. */
  readonly zones: readonly string[];
  readonly behaviour: NameserverBehaviour;
}

export interface LabPage {
  readonly status: number;
  readonly body: string;
  /** Never answer (for HTTP timeout tests). */
  readonly hang?: boolean;
  /** Answer plain HTTP with a 301 to https://<host>/ (providers that enforce HTTPS). */
  readonly redirectHttps?: boolean;
}

export interface LabSpec {
  readonly names: Record<string, LabName>;
  readonly nameservers?: readonly LabNameserver[];
  readonly pages?: Record<string, LabPage>;
  /** Pages served over HTTPS, by SNI/Host; the same as `pages` when absent (providers serve both schemes alike). */
  readonly httpsPages?: Record<string, LabPage>;
  /** Names whose TLS handshake fails (a provider that does not serve HTTPS for them). */
  readonly tlsRefused?: readonly string[];
  /** The HTTPS server's certificate; a throwaway self-signed one when absent. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

export interface TakeoverLab {
  /** `127.0.0.1:<port>` of the recursive view. */
  readonly resolverAddress: string;
  /** The port every nameserver emulator listens on (each on its own address). */
  readonly nameserverPort: number;
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Queries the recursive view answered (to assert incremental runs re-probe less). */
  queries(): number;
  /** Page requests received, as `<scheme> <host>` (TLS handshakes refused by `tlsRefused` included). */
  pageRequests(): string[];
  close(): Promise<void>;
}

const MAX_CHAIN = 12;

let sharedCertificate: { key: string; cert: string } | undefined;
/** One self-signed certificate per test process: openssl runs once, not once per lab. */
function labCertificate(): { key: string; cert: string } {
  sharedCertificate ??= selfSignedCertificate();
  return sharedCertificate;
}
// dns-packet's rcodes module has no type declarations; these four are all the lab sends.
const RCODE_BITS: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };
const rcodes = { toRcode: (name: string): number => RCODE_BITS[name] ?? 0 };

export async function startTakeoverLab(spec: LabSpec): Promise<TakeoverLab> {
  const names = new Map(Object.entries(spec.names).map(([name, entry]) => [name.toLowerCase(), entry]));
  let queryCount = 0;
  const lookup = (name: string): LabName | undefined => {
    const exact = names.get(name);
    if (exact) return exact;
    const labels = name.split('.');
    for (let index = 1; index < labels.length - 1; index += 1) {
      const wildcard = names.get(`*.${labels.slice(index).join('.')}`);
      if (wildcard) return wildcard;
      // A name that exists below this point blocks the wildcard (RFC 4592 closest encloser), close enough for the lab.
      if (names.has(labels.slice(index).join('.'))) break;
    }
    return undefined;
  };

  const recursive = createSocket('udp4');
  recursive.on('message', (message, remote) => {
    queryCount += 1;
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    const answers: dnsPacket.Answer[] = [];
    let rcode = 'NOERROR';
    let name = question.name.toLowerCase();
    for (let hop = 0; hop < MAX_CHAIN; hop += 1) {
      const entry = lookup(name);
      if (!entry) {
        rcode = 'NXDOMAIN';
        break;
      }
      if (entry.drop) return;
      if (entry.rcode) {
        rcode = entry.rcode;
        break;
      }
      if (entry.CNAME && question.type !== 'CNAME') {
        answers.push({ name, type: 'CNAME', ttl: 60, class: 'IN', data: entry.CNAME });
        name = entry.CNAME.toLowerCase();
        continue;
      }
      if (question.type === 'CNAME' && entry.CNAME) answers.push({ name, type: 'CNAME', ttl: 60, class: 'IN', data: entry.CNAME });
      if (question.type === 'A') for (const data of entry.A ?? []) answers.push({ name, type: 'A', ttl: 60, class: 'IN', data });
      if (question.type === 'AAAA') for (const data of entry.AAAA ?? []) answers.push({ name, type: 'AAAA', ttl: 60, class: 'IN', data });
      if (question.type === 'TXT') for (const data of entry.TXT ?? []) answers.push({ name, type: 'TXT', ttl: 60, class: 'IN', data });
      if (question.type === 'NS') for (const data of entry.NS ?? []) answers.push({ name, type: 'NS', ttl: 60, class: 'IN', data });
      break;
    }
    // dns-packet ignores `rcode` on encode: it must be OR-ed into the low bits of the flags.
    const flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | rcodes.toRcode(rcode);
    recursive.send(dnsPacket.encode({ id: query.id, type: 'response', flags, questions: query.questions, answers }), remote.port, remote.address);
  });
  await new Promise<void>((resolve) => recursive.bind(0, '127.0.0.1', resolve));

  const emulators: Socket[] = [];
  let nameserverPort = 0;
  for (const server of spec.nameservers ?? []) {
    const socket = createSocket('udp4');
    socket.on('message', (message, remote) => {
      const query = dnsPacket.decode(message);
      const question = query.questions?.[0];
      if (!question || server.behaviour === 'drop') return;
      const zone = question.name.toLowerCase();
      let flags = 0;
      const answers: dnsPacket.Answer[] = [];
      if (server.behaviour === 'refused') flags = rcodes.toRcode('REFUSED');
      else if (server.behaviour === 'servfail') flags = rcodes.toRcode('SERVFAIL');
      else if (!server.zones.includes(zone)) flags = rcodes.toRcode('REFUSED');
      else {
        if (server.behaviour === 'authoritative') flags = dnsPacket.AUTHORITATIVE_ANSWER;
        if (question.type === 'SOA') {
          answers.push({ name: zone, type: 'SOA', ttl: 900, class: 'IN', data: { mname: server.address, rname: `hostmaster.${zone}`, serial: 1, refresh: 7200, retry: 900, expire: 1209600, minimum: 86400 } });
        }
      }
      socket.send(dnsPacket.encode({ id: query.id, type: 'response', flags, questions: query.questions, answers }), remote.port, remote.address);
    });
    // The first emulator picks a free port; the others share it on their own loopback address.
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(nameserverPort, server.address, () => resolve());
    });
    nameserverPort = socket.address().port;
    emulators.push(socket);
  }

  const pageRequests: string[] = [];
  const serve = (table: Map<string, LabPage>, https: boolean) => (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
    pageRequests.push(`${https ? 'https' : 'http'} ${host}`);
    const page = table.get(host);
    if (page?.hang) return;
    if (page?.redirectHttps && !https) {
      res.writeHead(301, { location: `https://${host}/` });
      res.end();
      return;
    }
    res.writeHead(page?.status ?? 200, { 'content-type': 'text/html' });
    res.end(page?.body ?? `<html><body>${host} is served</body></html>`);
  };
  const pages = new Map(Object.entries(spec.pages ?? {}).map(([host, page]) => [host.toLowerCase(), page]));
  const http: Server = createServer(serve(pages, false));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpAddress = http.address();
  const httpPort = typeof httpAddress === 'object' && httpAddress ? httpAddress.port : 0;
  const httpsPages = new Map(Object.entries(spec.httpsPages ?? spec.pages ?? {}).map(([host, page]) => [host.toLowerCase(), page]));
  const tlsMaterial = spec.tls ?? labCertificate();
  const context = createSecureContext(tlsMaterial);
  const refused = new Set((spec.tlsRefused ?? []).map((name) => name.toLowerCase()));
  const https = createTlsServer(
    {
      ...tlsMaterial,
      SNICallback: (servername, done) => {
        if (!refused.has(servername.toLowerCase())) return done(null, context);
        pageRequests.push(`https ${servername.toLowerCase()} (handshake refused)`);
        done(new Error(`no certificate for ${servername}`));
      },
    },
    serve(httpsPages, true),
  );
  await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
  const httpsAddress = https.address();
  const httpsPort = typeof httpsAddress === 'object' && httpsAddress ? httpsAddress.port : 0;

  return {
    resolverAddress: `127.0.0.1:${(recursive.address()).port}`,
    nameserverPort,
    httpPort,
    httpsPort,
    queries: () => queryCount,
    pageRequests: () => [...pageRequests],
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      https.closeAllConnections();
      await new Promise<void>((resolve) => https.close(() => resolve()));
      for (const socket of [recursive, ...emulators]) await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
