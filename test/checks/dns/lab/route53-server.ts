import { createServer, type Server } from 'node:http';

/**
 * A loopback server speaking the Route 53 REST/XML API (ListHostedZones, ListResourceRecordSets) so the real
 * @aws-sdk/client-route-53 serializes, signs, sends and parses every page through its `endpoint` option.
 */
export interface FakeRecordSet {
  readonly Name: string;
  readonly Type: string;
  readonly TTL?: number;
  readonly SetIdentifier?: string;
  readonly Values?: readonly string[];
  readonly Alias?: { readonly DNSName: string; readonly HostedZoneId: string };
}

export interface FakeHostedZone {
  readonly id: string;
  readonly name: string;
  readonly private?: boolean;
  readonly records: readonly FakeRecordSet[];
  /** The account whose credentials see this zone: an AssumeRole session into it; absent means the base credentials. */
  readonly account?: string;
  /** Answer ListResourceRecordSets with this error (e.g. AccessDenied). */
  readonly fail?: { readonly status: number; readonly code: string };
}

export interface FakeRoute53 {
  readonly endpoint: string;
  /** Requests received, as `<operation> <query>`. */
  readonly requests: string[];
  /** `<operation> <access key id>` per signed request, to tell base credentials from assumed-role sessions. */
  readonly signers: string[];
  close(): Promise<void>;
}

const NS = 'https://route53.amazonaws.com/doc/2013-04-01/';
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export async function startFakeRoute53(zones: readonly FakeHostedZone[], options: { zonesPerPage: number; recordsPerPage: number; throttleEvery?: number }): Promise<FakeRoute53> {
  const requests: string[] = [];
  const signers: string[] = [];
  let count = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    count += 1;
    const accessKey = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1] ?? 'unsigned';
    // Session keys minted below carry the account they were assumed into; anything else is the base account.
    const caller = /^ASIAFAKE(\d{12})$/.exec(accessKey)?.[1];
    const visible = zones.filter((zone) => zone.account === caller);
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': `req-${count}` });
      res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
    };
    const error = (status: number, code: string, message: string) => send(status, `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-${count}</RequestId></ErrorResponse>`);
    if (req.method === 'POST' && url.pathname === '/') {
      // STS AssumeRole (query protocol) on the same endpoint, as the shared AWS client factory sends it there.
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        signers.push(`${form.get('Action')} ${accessKey}`);
        const roleArn = form.get('RoleArn') ?? '';
        const target = /^arn:aws:iam::(\d{12}):role\/.+$/.exec(roleArn)?.[1];
        if (form.get('Action') !== 'AssumeRole' || !target) return error(403, 'AccessDenied', `not authorized to assume ${roleArn}`);
        const expiration = new Date(Date.now() + 3_600_000).toISOString();
        send(200, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIAFAKE${target}</AccessKeyId><SecretAccessKey>session-secret</SecretAccessKey><SessionToken>session-token</SessionToken><Expiration>${expiration}</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::${target}:assumed-role/x/vigil</Arn><AssumedRoleId>AROA:vigil</AssumedRoleId></AssumedRoleUser></AssumeRoleResult></AssumeRoleResponse>`);
      });
      return;
    }
    // Every n-th request is throttled, the way Route 53's token bucket answers a caller that goes too fast.
    if (options.throttleEvery && count % options.throttleEvery === 0) {
      requests.push(`throttled ${url.pathname}${url.search}`);
      return error(400, 'Throttling', 'Rate exceeded');
    }
    const rrset = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/.exec(url.pathname);
    if (url.pathname.replace(/\/$/, '') === '/2013-04-01/hostedzone') {
      requests.push(`ListHostedZones ${url.search}`);
      signers.push(`ListHostedZones ${accessKey}`);
      const zones = visible;
      const start = url.searchParams.get('marker') ? zones.findIndex((zone) => zone.id === url.searchParams.get('marker')) : 0;
      const page = zones.slice(start, start + options.zonesPerPage);
      const next = zones[start + options.zonesPerPage];
      const items = page.map((zone) => `<HostedZone><Id>/hostedzone/${zone.id}</Id><Name>${escape(zone.name)}</Name><CallerReference>ref-${zone.id}</CallerReference><Config><PrivateZone>${zone.private ? 'true' : 'false'}</PrivateZone></Config><ResourceRecordSetCount>${zone.records.length}</ResourceRecordSetCount></HostedZone>`);
      return send(200, `<ListHostedZonesResponse xmlns="${NS}"><HostedZones>${items.join('')}</HostedZones><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${next ? `<NextMarker>${next.id}</NextMarker>` : ''}<MaxItems>${options.zonesPerPage}</MaxItems></ListHostedZonesResponse>`);
    }
    if (rrset) {
      requests.push(`ListResourceRecordSets ${rrset[1]} ${url.search}`);
      signers.push(`ListResourceRecordSets ${accessKey}`);
      const zone = visible.find((candidate) => candidate.id === rrset[1]);
      if (!zone) return error(404, 'NoSuchHostedZone', 'No hosted zone found');
      if (zone.fail) return error(zone.fail.status, zone.fail.code, 'User is not authorized to perform route53:ListResourceRecordSets');
      const name = url.searchParams.get('name');
      const type = url.searchParams.get('type');
      const identifier = url.searchParams.get('identifier');
      const start = name ? zone.records.findIndex((set) => set.Name === name && (!type || set.Type === type) && (!identifier || set.SetIdentifier === identifier)) : 0;
      const page = zone.records.slice(start, start + options.recordsPerPage);
      const next = zone.records[start + options.recordsPerPage];
      const items = page.map(
        (set) =>
          `<ResourceRecordSet><Name>${escape(set.Name)}</Name><Type>${set.Type}</Type>${set.SetIdentifier ? `<SetIdentifier>${set.SetIdentifier}</SetIdentifier><Weight>10</Weight>` : ''}${set.TTL !== undefined ? `<TTL>${set.TTL}</TTL>` : ''}` +
          (set.Values ? `<ResourceRecords>${set.Values.map((value) => `<ResourceRecord><Value>${escape(value)}</Value></ResourceRecord>`).join('')}</ResourceRecords>` : '') +
          (set.Alias ? `<AliasTarget><HostedZoneId>${set.Alias.HostedZoneId}</HostedZoneId><DNSName>${escape(set.Alias.DNSName)}</DNSName><EvaluateTargetHealth>false</EvaluateTargetHealth></AliasTarget>` : '') +
          `</ResourceRecordSet>`,
      );
      const nextXml = next ? `<NextRecordName>${escape(next.Name)}</NextRecordName><NextRecordType>${next.Type}</NextRecordType>${next.SetIdentifier ? `<NextRecordIdentifier>${next.SetIdentifier}</NextRecordIdentifier>` : ''}` : '';
      return send(200, `<ListResourceRecordSetsResponse xmlns="${NS}"><ResourceRecordSets>${items.join('')}</ResourceRecordSets><IsTruncated>${next ? 'true' : 'false'}</IsTruncated>${nextXml}<MaxItems>${options.recordsPerPage}</MaxItems></ListResourceRecordSetsResponse>`);
    }
    requests.push(`unknown ${req.method} ${url.pathname}`);
    return error(404, 'UnknownOperation', url.pathname);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    signers,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
