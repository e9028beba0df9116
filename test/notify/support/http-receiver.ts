import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly at: number;
}

/** What the receiver does with the next request: answer with a status (and headers), or drop the connection. */
export type Behaviour = { status: number; headers?: Record<string, string>; body?: string; delayMs?: number } | { drop: true };

/**
 * A real HTTP server on 127.0.0.1 standing in for Slack, Teams, PagerDuty or a webhook consumer. It records every
 * request and answers from a script of behaviours (then 200/202), so tests can inject 429s, 500s and lost responses.
 */
export class HttpReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly script: Behaviour[] = [];
  private server!: Server;
  private gate: Promise<void> | null = null;
  defaultStatus = 200;
  private onRequest: ((request: ReceivedRequest) => void) | null = null;

  static async start(): Promise<HttpReceiver> {
    const receiver = new HttpReceiver();
    receiver.server = createServer((req, res) => void receiver.handle(req, res));
    receiver.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  respondWith(...behaviours: Behaviour[]): this {
    this.script.push(...behaviours);
    return this;
  }

  /** Requests wait until the returned release function is called (simulates a slow sink). */
  hold(): () => void {
    let release!: () => void;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.gate = null;
      release();
    };
  }

  waitFor(count: number, timeoutMs = 5000): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected ${count} requests, got ${this.requests.length}`)), timeoutMs);
      this.onRequest = () => {
        if (this.requests.length >= count) {
          clearTimeout(timer);
          this.onRequest = null;
          resolve();
        }
      };
    });
  }

  json(index: number): any {
    return JSON.parse(this.requests[index]!.body);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
    this.requests.push(request);
    this.onRequest?.(request);
    if (this.gate) await this.gate;
    const behaviour = this.script.shift() ?? { status: this.defaultStatus };
    if ('drop' in behaviour) {
      req.socket.destroy();
      return;
    }
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    res.writeHead(behaviour.status, { 'content-type': 'text/plain', ...behaviour.headers });
    res.end(behaviour.body ?? (behaviour.status < 300 ? 'ok' : 'error'));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
