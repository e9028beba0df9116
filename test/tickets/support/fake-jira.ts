import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Category = 'new' | 'indeterminate' | 'done';
const STATUSES: Record<string, Category> = { 'To Do': 'new', 'In Progress': 'indeterminate', Done: 'done', "Won't Do": 'done' };
/** One workflow: any status can go to In Progress, Done or Won't Do; only done ones can be reopened to To Do. */
const TRANSITIONS = [
  { id: '11', name: 'Start work', to: 'In Progress', from: ['To Do'] },
  { id: '21', name: 'Resolve', to: 'Done', from: ['To Do', 'In Progress'] },
  { id: '31', name: 'Reopen', to: 'To Do', from: ['Done', "Won't Do"] },
  { id: '41', name: 'Decline', to: "Won't Do", from: ['To Do', 'In Progress'] },
];

export interface FakeIssue {
  id: string;
  key: string;
  status: string;
  resolution: string | null;
  fields: Record<string, any>;
  comments: { id: string; body: unknown }[];
  createdAt: number;
  transitions: string[];
}

export type Fault = { status: number; headers?: Record<string, string> } | 'drop-after-commit' | 'drop';

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly at: number;
  readonly status: number;
}

/**
 * A stateful fake Jira on 127.0.0.1 speaking the REST shapes Vigil uses: Cloud v3 (ADF bodies, basic auth,
 * /search/jql that lags behind creates, the old /search answering 410) or Server/DC v2 (wiki strings, bearer PAT).
 * Faults are queued per route: an HTTP status (429 with Retry-After, 500...), 'drop' (connection closed before
 * anything happens) or 'drop-after-commit' (the write happens, the answer is lost).
 */
export class FakeJira {
  readonly issues = new Map<string, FakeIssue>();
  readonly log: LoggedRequest[] = [];
  readonly faults: { method: string; pattern: RegExp; fault: Fault }[] = [];
  /** Requests that arrived while a 429's Retry-After was still running: must stay zero. */
  readonly early: LoggedRequest[] = [];
  searchLagMs = 0;
  /** When set, a create commits and then waits on this before answering (a client killed meanwhile never hears). */
  createGate: Promise<void> | null = null;
  onCreate: (() => void) | null = null;
  private retryUntil = 0;
  private server!: Server;
  private next = 1;

  constructor(
    readonly flavor: 'cloud' | 'server',
    private readonly auth: string,
  ) {}

  static async start(flavor: 'cloud' | 'server', auth: string): Promise<FakeJira> {
    const jira = new FakeJira(flavor, auth);
    jira.server = createServer((req, res) => void jira.handle(req, res));
    await new Promise<void>((resolve) => jira.server.listen(0, '127.0.0.1', resolve));
    return jira;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get version(): '2' | '3' {
    return this.flavor === 'cloud' ? '3' : '2';
  }

  inject(method: string, pattern: RegExp, ...faults: Fault[]): void {
    for (const fault of faults) this.faults.push({ method, pattern, fault });
  }

  count(method: string, pattern: RegExp): number {
    return this.log.filter((entry) => entry.method === method && pattern.test(entry.path)).length;
  }

  /** A person moves the issue in the Jira UI. */
  setStatus(key: string, status: string): void {
    this.issues.get(key)!.status = status;
  }

  commentTexts(key: string): string[] {
    return this.issues.get(key)!.comments.map((c) => (typeof c.body === 'string' ? c.body : flatten(c.body)));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://jira');
    const method = req.method ?? 'GET';
    const entry = { method, path: url.pathname, at: Date.now(), status: 0 };
    this.log.push(entry);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      entry.status = status;
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? '' : JSON.stringify(body));
    };
    if (Date.now() < this.retryUntil) {
      this.early.push(entry);
      return send(429, { errorMessages: ['rate limited'] }, { 'retry-after': String(Math.ceil((this.retryUntil - Date.now()) / 1000)) });
    }
    if (req.headers.authorization !== this.auth) return send(401, { errorMessages: ['unauthorized'] });
    const faultIndex = this.faults.findIndex((f) => f.method === method && f.pattern.test(url.pathname));
    const fault = faultIndex >= 0 ? this.faults.splice(faultIndex, 1)[0]!.fault : undefined;
    if (fault === 'drop') return void req.socket.destroy();
    if (fault && typeof fault === 'object') {
      const retryAfter = fault.headers?.['retry-after'];
      if (fault.status === 429 && retryAfter) this.retryUntil = Date.now() + Number(retryAfter) * 1000;
      return send(fault.status, { errorMessages: ['injected'] }, fault.headers);
    }
    const respond = fault === 'drop-after-commit' ? () => void req.socket.destroy() : send;
    const base = `/rest/api/${this.version}/`;
    if (!url.pathname.startsWith(base)) return send(404, {});
    const path = url.pathname.slice(base.length);
    const body = text ? JSON.parse(text) : undefined;
    let match: RegExpExecArray | null;

    if (method === 'GET' && path === 'search' && this.flavor === 'cloud') return send(410, { errorMessages: ['The requested API has been removed. Please migrate to /rest/api/3/search/jql.'] });
    if (method === 'POST' && path === 'issue') {
      const problem = this.validateCreate(body);
      if (problem) return send(400, { errors: { fields: problem } });
      const id = String(10000 + this.next);
      const key = `SEC-${this.next++}`;
      this.issues.set(key, { id, key, status: 'To Do', resolution: null, fields: body.fields, comments: [], createdAt: Date.now(), transitions: [] });
      this.onCreate?.();
      if (this.createGate) await this.createGate;
      return respond(201, { id, key, self: `${this.url}${base}issue/${id}` });
    }
    if ((method === 'POST' && path === 'search/jql' && this.flavor === 'cloud') || (method === 'GET' && path === 'search' && this.flavor === 'server')) {
      const jql: string = method === 'POST' ? body.jql : (url.searchParams.get('jql') ?? '');
      const label = /labels = "([^"]+)"/.exec(jql)?.[1];
      const project = /project = "([^"]+)"/.exec(jql)?.[1];
      const visibleBefore = Date.now() - (this.flavor === 'cloud' ? this.searchLagMs : 0);
      const issues = [...this.issues.values()].filter(
        (issue) => issue.createdAt <= visibleBefore && (!label || issue.fields.labels?.includes(label)) && (!project || issue.fields.project?.key === project),
      );
      return send(200, { issues: issues.map((i) => ({ id: i.id, key: i.key, fields: { status: this.statusOf(i), labels: i.fields.labels } })) });
    }
    if ((match = /^issue\/([A-Z]+-\d+)$/.exec(path)) && method === 'GET') {
      const issue = this.issues.get(match[1]!);
      if (!issue) return send(404, { errorMessages: ['Issue does not exist'] });
      return send(200, { id: issue.id, key: issue.key, fields: { status: this.statusOf(issue), labels: issue.fields.labels ?? [] } });
    }
    if ((match = /^issue\/([A-Z]+-\d+)\/transitions$/.exec(path))) {
      const issue = this.issues.get(match[1]!);
      if (!issue) return send(404, {});
      const available = TRANSITIONS.filter((t) => t.from.includes(issue.status));
      if (method === 'GET') return send(200, { transitions: available.map((t) => ({ id: t.id, name: t.name, to: { name: t.to, statusCategory: { key: STATUSES[t.to] } } })) });
      const transition = available.find((t) => t.id === body?.transition?.id);
      if (!transition) return send(400, { errorMessages: [`transition ${body?.transition?.id} is not valid from ${issue.status}`] });
      issue.status = transition.to;
      issue.resolution = body.fields?.resolution?.name ?? (STATUSES[transition.to] === 'done' ? 'Done' : null);
      issue.transitions.push(transition.to);
      return respond(204);
    }
    if ((match = /^issue\/([A-Z]+-\d+)\/comment$/.exec(path))) {
      const issue = this.issues.get(match[1]!);
      if (!issue) return send(404, {});
      if (method === 'GET') return send(200, { comments: issue.comments, total: issue.comments.length });
      const valid = this.version === '3' ? body?.body?.type === 'doc' && body.body.version === 1 : typeof body?.body === 'string';
      if (!valid) return send(400, { errors: { comment: `comment body must be ${this.version === '3' ? 'an ADF document' : 'a string'}` } });
      issue.comments.push({ id: String(issue.comments.length + 1), body: body.body });
      return respond(201, { id: String(issue.comments.length) });
    }
    return send(404, { errorMessages: [`no route ${method} ${url.pathname}`] });
  }

  private statusOf(issue: FakeIssue) {
    return { name: issue.status, statusCategory: { key: STATUSES[issue.status] } };
  }

  private validateCreate(body: any): string | null {
    const fields = body?.fields;
    if (!fields?.project?.key || !fields.summary || !fields.issuetype?.name) return 'project, summary and issuetype are required';
    if (!Array.isArray(fields.labels) || fields.labels.some((l: string) => /\s/.test(l))) return 'labels must be a list without spaces';
    if (this.version === '3' && (fields.description?.type !== 'doc' || fields.description.version !== 1)) return 'description must be an ADF document';
    if (this.version === '2' && typeof fields.description !== 'string') return 'description must be a string';
    return null;
  }
}

function flatten(node: any): string {
  if (!node || typeof node !== 'object') return '';
  return `${typeof node.text === 'string' ? node.text : ''}${Array.isArray(node.content) ? node.content.map(flatten).join(' ') : ''}`;
}
