/**
 * An AWS fake that answers inside the real SDK client, below its retry layer: a middleware in the `deserialize` step
 * (after serialization, endpoint resolution and SigV4 signing; inside the adaptive retry loop) looks up a handler by
 * `service:Operation` and returns the output object, or throws an error shaped like the SDK's own (name, $metadata),
 * so the SDK's retry strategy classifies throttling exactly as it does on the wire. Nothing leaves the process.
 *
 * Account and region come from the signed request (the SigV4 credential scope and access key `AKIAFAKE<account>`,
 * `ASIAFAKE<account>` for sessions minted by the fake's AssumeRole), as a real endpoint would see them.
 */
export interface FakeCall {
  readonly service: string;
  readonly operation: string;
  readonly account: string;
  readonly region: string;
  /** service:Operation|account|region|input: two successful calls with one key are a duplicate. */
  readonly key: string;
  readonly outcome: 'ok' | 'throttled' | 'denied' | 'error';
}

export interface FakeContext {
  readonly account: string;
  readonly region: string;
}

export type Handler = (input: any, context: FakeContext) => unknown;

export interface FakeRule {
  readonly operation: string;
  readonly account?: string;
  readonly region?: string;
}

export class SdkFakeError extends Error {
  readonly $metadata: { httpStatusCode: number };
  readonly $fault: 'client' | 'server';
  constructor(code: string, message: string, status = 400) {
    super(message);
    this.name = code;
    this.$metadata = { httpStatusCode: status };
    this.$fault = status >= 500 ? 'server' : 'client';
  }
}

const DENIED_CODE: Record<string, string> = { ec2: 'UnauthorizedOperation', iam: 'AccessDenied', s3: 'AccessDenied', s3control: 'AccessDenied', sts: 'AccessDenied', sns: 'AuthorizationError' };
const THROTTLE_CODE: Record<string, string> = { ec2: 'RequestLimitExceeded', s3: 'SlowDown', iam: 'Throttling', sts: 'Throttling', sns: 'Throttling', rds: 'Throttling', cloudwatch: 'Throttling' };

export class SdkFake {
  readonly calls: FakeCall[] = [];
  latencyMs = 0;
  /** Share of calls answered with the service's throttling error (deterministic from `seed`). */
  throttleRate = 0;
  private readonly handlers = new Map<string, Handler>();
  private readonly denies: FakeRule[] = [];
  /** Regions whose endpoints refuse the account's credentials, as an opt-in region that is not (yet) usable does. */
  private readonly closedRegions = new Set<string>();
  private readonly scripted = new Map<string, number>();
  private seed: number;

  constructor(options: { latencyMs?: number; throttleRate?: number; seed?: number } = {}) {
    this.latencyMs = options.latencyMs ?? 0;
    this.throttleRate = options.throttleRate ?? 0;
    this.seed = options.seed ?? 7;
  }

  on(operation: string, handler: Handler): this {
    this.handlers.set(operation, handler);
    return this;
  }

  deny(rule: FakeRule): this {
    this.denies.push(rule);
    return this;
  }

  closeRegion(account: string, region: string): this {
    this.closedRegions.add(`${account}/${region}`);
    return this;
  }

  /** The next `count` calls of `operation` are throttled, whatever `throttleRate` says. */
  throttleNext(operation: string, count: number): this {
    this.scripted.set(operation, count);
    return this;
  }

  /** Pass as `customize` to createAwsClientFactory. */
  readonly customize = (client: { middlewareStack: unknown }, service: string): void => {
    const stack = client.middlewareStack as { add(mw: unknown, options: object): void };
    stack.add(
      (_next: unknown, context: { commandName?: string }) => async (args: { input: unknown; request?: { headers?: Record<string, string> } }) => ({
        output: { $metadata: { httpStatusCode: 200 }, ...((await this.answer(service, (context.commandName ?? '').replace(/Command$/, ''), args)) as object) },
        response: { statusCode: 200, headers: {} },
      }),
      { step: 'deserialize', name: 'vigilSdkFake', priority: 'high' },
    );
  };

  /**
   * Successful calls per key, to report duplicates. Retries of throttled calls are not duplicates; polling operations
   * (GenerateCredentialReport until COMPLETE) are asked again by design and are counted apart.
   */
  duplicates(polling: readonly string[] = ['iam:GenerateCredentialReport']): { key: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const call of this.calls) if (call.outcome === 'ok' && !polling.includes(`${call.service}:${call.operation}`)) counts.set(call.key, (counts.get(call.key) ?? 0) + 1);
    return [...counts].filter(([, count]) => count > 1).map(([key, count]) => ({ key, count }));
  }

  private random(): number {
    this.seed = (this.seed + 0x6d2b79f5) | 0;
    let t = Math.imul(this.seed ^ (this.seed >>> 15), 1 | this.seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private async answer(service: string, operation: string, args: { input: unknown; request?: { headers?: Record<string, string> } }): Promise<unknown> {
    const auth = args.request?.headers?.authorization ?? args.request?.headers?.Authorization ?? '';
    const scope = /Credential=([^/]+)\/\d{8}\/([^/]+)\//.exec(auth);
    const account = /^(?:AKIA|ASIA)FAKE(\d{12})/.exec(scope?.[1] ?? '')?.[1] ?? 'unknown';
    const region = scope?.[2] ?? 'unknown';
    const name = `${service}:${operation}`;
    const key = `${name}|${account}|${region}|${JSON.stringify(args.input ?? {})}`;
    const record = (outcome: FakeCall['outcome']) => this.calls.push({ service, operation, account, region, key, outcome });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const scripted = this.scripted.get(name) ?? 0;
    if (scripted > 0 || (this.throttleRate > 0 && this.random() < this.throttleRate)) {
      if (scripted > 0) this.scripted.set(name, scripted - 1);
      record('throttled');
      throw new SdkFakeError(THROTTLE_CODE[service] ?? 'ThrottlingException', 'Rate exceeded', 400);
    }
    if (service !== 'sts' && service !== 'organizations' && this.closedRegions.has(`${account}/${region}`)) {
      record('denied');
      throw new SdkFakeError(service === 'ec2' ? 'AuthFailure' : 'UnrecognizedClientException', 'The security token included in the request is invalid.', 401);
    }
    if (this.denies.some((rule) => rule.operation === name && (rule.account ?? account) === account && (rule.region ?? region) === region)) {
      record('denied');
      throw new SdkFakeError(DENIED_CODE[service] ?? 'AccessDeniedException', `User: arn:aws:sts::${account}:assumed-role/vigil-audit/vigil is not authorized to perform: ${name}`, 403);
    }
    const handler = this.handlers.get(name);
    if (!handler) {
      record('error');
      throw new SdkFakeError('InvalidAction', `the fake has no handler for ${name}`, 400);
    }
    try {
      const output = await handler(args.input, { account, region });
      record('ok');
      return output;
    } catch (error) {
      record(error instanceof SdkFakeError && error.$metadata.httpStatusCode === 403 ? 'denied' : 'error');
      throw error;
    }
  }
}

/** Offset-token paging, as AWS's opaque tokens behave. */
export function page<T>(items: readonly T[], token: string | undefined, size: number): { items: T[]; next: string | undefined } {
  const start = token ? Number(token) : 0;
  return { items: items.slice(start, start + size), next: start + size < items.length ? String(start + size) : undefined };
}
