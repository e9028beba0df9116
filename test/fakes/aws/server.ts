import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { routeCloudTrail } from './cloudtrail.js';
import { routeConfig } from './config.js';
import { routeEc2 } from './ec2.js';
import { routeGuardDuty } from './guardduty.js';
import { routeOrganizations } from './organizations.js';
import { routeSecurityHub } from './securityhub.js';
import { routeSts } from './sts.js';
import { FakeAwsWorld } from './world.js';

/**
 * A small HTTP fake of the AWS APIs the kill switch touches. The real SDK v3 clients talk to it through `endpoint`:
 * the service and region come from the SigV4 credential scope, the account from the access key id (static test keys
 * `AKIAFAKE<account>`, session keys minted by the fake's STS). Every call is logged so tests can prove "nothing was
 * written" and the benchmark can count reads per tick.
 */

export type Protocol = 'rest-json' | 'json' | 'ec2' | 'query';

export class AwsFakeError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface FakeRequest {
  readonly account: string;
  readonly region: string;
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** JSON body for JSON protocols; form fields for EC2 and STS. */
  readonly json: Record<string, any>;
  readonly form: URLSearchParams;
  readonly target: string;
  readonly world: FakeAwsWorld;
  readonly pageSize: number;
}

export interface Route {
  readonly action: string;
  readonly write: boolean;
  readonly handle: () => unknown;
}

export interface FakeCall {
  readonly service: string;
  readonly action: string;
  readonly account: string;
  readonly region: string;
  readonly write: boolean;
  readonly status: number;
  readonly at: number;
  readonly body?: Record<string, any>;
}

export interface DenyRule {
  readonly action: string;
  readonly account?: string;
  readonly region?: string;
}

const SERVICES: Record<string, { protocol: Protocol; route: (request: FakeRequest) => Route }> = {
  guardduty: { protocol: 'rest-json', route: routeGuardDuty },
  securityhub: { protocol: 'rest-json', route: routeSecurityHub },
  cloudtrail: { protocol: 'json', route: routeCloudTrail },
  config: { protocol: 'json', route: routeConfig },
  organizations: { protocol: 'json', route: routeOrganizations },
  ec2: { protocol: 'ec2', route: routeEc2 },
  sts: { protocol: 'query', route: routeSts },
};

export interface AwsFakeOptions {
  readonly latencyMs?: number;
  /** Items per page for every List/Get paginated call, so tests exercise pagination. */
  readonly pageSize?: number;
}

export class AwsFake {
  readonly world = new FakeAwsWorld();
  readonly calls: FakeCall[] = [];
  readonly denies: DenyRule[] = [];
  latencyMs: number;
  pageSize: number;
  private server: Server | undefined;
  private port = 0;

  constructor(options: AwsFakeOptions = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.pageSize = options.pageSize ?? 50;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.serve(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  deny(rule: DenyRule): void {
    this.denies.push(rule);
  }

  writes(): FakeCall[] {
    return this.calls.filter((call) => call.write && call.status < 300);
  }

  /** Static base credentials of an account, as the SDK's `credentials` option takes them. */
  static credentials(account: string): { accessKeyId: string; secretAccessKey: string } {
    return { accessKeyId: `AKIAFAKE${account}`, secretAccessKey: 'fake-secret' };
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const auth = String(request.headers.authorization ?? '');
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(auth);
    if (!scope) {
      response.statusCode = 403;
      response.end('{"message":"missing SigV4 authorization"}');
      return;
    }
    const [, accessKey, region, service] = scope as unknown as [string, string, string, string];
    const account = /^(?:AKIA|ASIA)FAKE(\d{12})/.exec(accessKey)?.[1];
    const spec = SERVICES[service];
    if (!spec || !account || !this.world.accounts.has(account)) {
      response.statusCode = 403;
      response.end('{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}');
      return;
    }
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const url = new URL(request.url ?? '/', 'http://fake');
    const contentType = String(request.headers['content-type'] ?? '');
    const form = contentType.includes('x-www-form-urlencoded') ? new URLSearchParams(raw) : new URLSearchParams();
    const json = raw && contentType.includes('json') ? (JSON.parse(raw) as Record<string, any>) : {};
    const fakeRequest: FakeRequest = {
      account,
      region,
      method: request.method ?? 'GET',
      path: decodeURIComponent(url.pathname),
      query: url.searchParams,
      json,
      form,
      target: String(request.headers['x-amz-target'] ?? ''),
      world: this.world,
      pageSize: this.pageSize,
    };
    let action = 'unknown';
    let write = false;
    try {
      const route = spec.route(fakeRequest);
      action = route.action;
      write = route.write;
      if (service !== 'sts' && service !== 'organizations') {
        const regionState = this.world.account(account).regions.get(region);
        // A region that is not enabled does not accept the account's credentials at all.
        if (!regionState || regionState.optIn === 'not-opted-in') {
          throw new AwsFakeError(spec.protocol === 'ec2' ? 'AuthFailure' : 'UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
        }
      }
      const denied = this.denies.some((rule) => rule.action === `${service}:${action}` && (rule.account ?? account) === account && (rule.region ?? region) === region);
      if (denied) {
        const code = spec.protocol === 'ec2' ? 'UnauthorizedOperation' : spec.protocol === 'query' ? 'AccessDenied' : 'AccessDeniedException';
        throw new AwsFakeError(code, `User: arn:aws:sts::${account}:assumed-role/vigil is not authorized to perform: ${service}:${action}`, 403);
      }
      const result = route.handle();
      this.log({ service, action, account, region, write, status: 200, body: json });
      respond(response, spec.protocol, 200, result);
    } catch (error) {
      const fault = error instanceof AwsFakeError ? error : new AwsFakeError('InternalFailure', String(error), 500);
      this.log({ service, action, account, region, write, status: fault.status, body: json });
      respondError(response, spec.protocol, fault);
    }
  }

  private log(call: Omit<FakeCall, 'at'>): void {
    this.calls.push({ ...call, at: Date.now() });
  }
}

function respond(response: ServerResponse, protocol: Protocol, status: number, result: unknown): void {
  response.statusCode = status;
  response.setHeader('x-amzn-requestid', 'fake-request');
  if (protocol === 'ec2' || protocol === 'query') {
    response.setHeader('content-type', 'text/xml');
    response.end(String(result));
    return;
  }
  response.setHeader('content-type', protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json');
  response.end(JSON.stringify(result ?? {}));
}

function respondError(response: ServerResponse, protocol: Protocol, fault: AwsFakeError): void {
  response.statusCode = fault.status;
  response.setHeader('x-amzn-requestid', 'fake-request');
  if (protocol === 'ec2') {
    response.setHeader('content-type', 'text/xml');
    response.end(`<Response><Errors><Error><Code>${fault.code}</Code><Message>${xml(fault.message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`);
    return;
  }
  if (protocol === 'query') {
    response.setHeader('content-type', 'text/xml');
    response.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${xml(fault.message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`);
    return;
  }
  response.setHeader('x-amzn-errortype', fault.code);
  response.setHeader('content-type', protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json');
  response.end(JSON.stringify({ __type: fault.code, message: fault.message }));
}

export function xml(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Slices a list into pages keyed by a numeric offset token, as AWS's opaque tokens do. */
export function page<T>(items: readonly T[], token: string | null | undefined, max: number | undefined, pageSize: number): { items: T[]; next?: string } {
  const start = token ? Number(token) : 0;
  const size = Math.min(max ?? pageSize, pageSize);
  const slice = items.slice(start, start + size);
  return start + size < items.length ? { items: slice, next: String(start + size) } : { items: slice };
}
