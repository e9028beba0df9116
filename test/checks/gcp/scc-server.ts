import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server speaking the REST mapping of the Security Command Center APIs that the GCP kill switch and
 * the findings import use, in the JSON form Google's clients send in REST (fallback) mode: enums as ints when the
 * request says `enum-encoding=int`. It encodes the rule that makes `updateMask` matter: a PATCH without a mask
 * updates every field, and the client always sends `modules: {}`, so module settings are wiped.
 */

export const ENABLEMENT = ['ENABLEMENT_STATE_UNSPECIFIED', 'INHERITED', 'ENABLED', 'DISABLED', 'INGEST_ONLY'] as const;
export type Enablement = (typeof ENABLEMENT)[number];
const FINDING_STATE = ['STATE_UNSPECIFIED', 'ACTIVE', 'INACTIVE'];
const SEVERITY = ['SEVERITY_UNSPECIFIED', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
// Finding.Mute skips 3: UNDEFINED is 4 in the proto.
const MUTE = ['MUTE_UNSPECIFIED', 'MUTED', 'UNMUTED', 'RESERVED_3', 'UNDEFINED'];

export interface FakeSccService {
  intended: Enablement;
  modules: Record<string, Enablement>;
}

export interface FakeFinding {
  name: string;
  category: string;
  state: 'ACTIVE' | 'INACTIVE';
  severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
  resourceName: string;
  eventTime: string;
  mute?: 'MUTED' | 'UNMUTED' | 'UNDEFINED';
}

export interface SccCall {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: any;
}

export class SccServer {
  /** Keyed by `<parent>/locations/global/securityCenterServices/<service>`. */
  readonly services = new Map<string, FakeSccService>();
  /** Child resource → parent resource, for INHERITED. */
  readonly parents = new Map<string, string>();
  readonly findings: FakeFinding[] = [];
  /** Keyed by full name `organizations/<id>/muteConfigs/<id>`. */
  readonly muteConfigs = new Map<string, { filter: string; description: string }>();
  /** Keyed by full name `organizations/<id>/notificationConfigs/<id>`. */
  readonly notificationConfigs = new Map<string, { pubsubTopic: string; filter: string; description: string }>();
  readonly calls: SccCall[] = [];
  /** Resources whose children may not be listed (PERMISSION_DENIED), to test a partial walk. */
  readonly denyList = new Set<string>();
  pageSize = 2;
  private server: Server | undefined;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const url = new URL(request.url ?? '/', 'http://fake');
        const raw = Buffer.concat(chunks).toString('utf8');
        const body = raw ? JSON.parse(raw) : null;
        const query = Object.fromEntries(url.searchParams);
        this.calls.push({ method: request.method ?? 'GET', path: decodeURIComponent(url.pathname), query, body });
        const ints = (query.$alt ?? '').includes('enum-encoding=int');
        try {
          const result = this.route(request.method ?? 'GET', decodeURIComponent(url.pathname), url.searchParams, body, ints);
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(result));
        } catch (error) {
          const status = (error as { status?: number }).status ?? 500;
          response.statusCode = status;
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ error: { code: status, message: String((error as Error).message), status: status === 404 ? 'NOT_FOUND' : status === 403 ? 'PERMISSION_DENIED' : 'INVALID_ARGUMENT' } }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  patches(): SccCall[] {
    return this.calls.filter((call) => call.method === 'PATCH');
  }

  serviceName(parent: string, service: string): string {
    return `${parent}/locations/global/securityCenterServices/${service}`;
  }

  /** DISABLED anywhere on the way up wins; INHERITED takes the parent's effective state. */
  effective(name: string): Enablement {
    const service = this.services.get(name);
    if (!service) return 'ENABLEMENT_STATE_UNSPECIFIED';
    if (service.intended !== 'INHERITED') return service.intended;
    const [resource, rest] = name.split('/locations/global/');
    const parent = this.parents.get(resource!);
    return parent ? this.effective(`${parent}/locations/global/${rest}`) : 'DISABLED';
  }

  private serviceJson(name: string, ints: boolean) {
    const service = this.services.get(name)!;
    const e = (state: Enablement) => (ints ? ENABLEMENT.indexOf(state) : state);
    return {
      name,
      intendedEnablementState: e(service.intended),
      effectiveEnablementState: e(this.effective(name)),
      modules: Object.fromEntries(Object.entries(service.modules).map(([module, state]) => [module, { intendedEnablementState: e(state), effectiveEnablementState: e(state) }])),
      updateTime: '2026-11-23T00:00:00Z',
    };
  }

  private paged(field: string, items: unknown[], params: URLSearchParams): unknown {
    const start = Number(params.get('pageToken') || 0);
    return { [field]: items.slice(start, start + this.pageSize), ...(start + this.pageSize < items.length ? { nextPageToken: String(start + this.pageSize) } : {}) };
  }

  /** Resource Manager v3 children of `parent` (from `parents`), for the organization walk; DELETE_REQUESTED ones too. */
  readonly deleteRequested = new Set<string>();

  private route(method: string, path: string, params: URLSearchParams, body: any, ints: boolean): unknown {
    let match: RegExpExecArray | null;
    if (method === 'GET' && (path === '/v3/folders' || path === '/v3/projects')) {
      const parent = params.get('parent') ?? '';
      if (this.denyList.has(parent)) throw Object.assign(new Error(`Permission denied on resource '${parent}'`), { status: 403 });
      const kind = path === '/v3/folders' ? 'folders/' : 'projects/';
      const children = [...this.parents].filter(([child, p]) => p === parent && child.startsWith(kind)).map(([child]) => child).sort();
      const state = (child: string) => (this.deleteRequested.has(child) ? (ints ? 2 : 'DELETE_REQUESTED') : ints ? 1 : 'ACTIVE');
      const items = children.map((child, index) =>
        kind === 'folders/' ? { name: child, parent, displayName: child, state: state(child) } : { name: `projects/${1000 + index}`, projectId: child.slice('projects/'.length), parent, state: state(child) },
      );
      return this.paged(kind === 'folders/' ? 'folders' : 'projects', items, params);
    }
    if (method === 'GET' && (match = /^\/v1\/(.+\/locations\/global)\/securityCenterServices$/.exec(path))) {
      const prefix = `${match[1]}/securityCenterServices/`;
      const names = [...this.services.keys()].filter((name) => name.startsWith(prefix)).sort();
      const start = Number(params.get('pageToken') || 0);
      const page = names.slice(start, start + this.pageSize);
      return { securityCenterServices: page.map((name) => this.serviceJson(name, ints)), ...(start + this.pageSize < names.length ? { nextPageToken: String(start + this.pageSize) } : {}) };
    }
    if ((match = /^\/v1\/(.+\/securityCenterServices\/[^/]+)$/.exec(path))) {
      const name = match[1]!;
      const service = this.services.get(name);
      if (!service) throw Object.assign(new Error(`${name} not found`), { status: 404 });
      if (method === 'GET') return this.serviceJson(name, ints);
      if (method === 'PATCH') {
        const mask = (params.get('updateMask') ?? '').split(',').filter(Boolean);
        // No mask means "every eligible field": the client's always-present `modules: {}` then wipes module settings.
        const fields = mask.length ? mask : ['intended_enablement_state', 'modules'];
        const decode = (value: unknown): Enablement => (typeof value === 'number' ? ENABLEMENT[value]! : (value as Enablement));
        if (params.get('validateOnly') === 'true') return this.serviceJson(name, ints);
        for (const field of fields) {
          if (field === 'intended_enablement_state' || field === 'intendedEnablementState') service.intended = decode(body.intendedEnablementState ?? 0);
          else if (field === 'modules') service.modules = Object.fromEntries(Object.entries(body.modules ?? {}).map(([module, settings]) => [module, decode((settings as { intendedEnablementState?: unknown }).intendedEnablementState ?? 0)]));
          else throw Object.assign(new Error(`unknown field in updateMask: ${field}`), { status: 400 });
        }
        return this.serviceJson(name, ints);
      }
    }
    if ((match = /^\/v1\/((?:organizations|folders|projects)\/[^/]+)\/muteConfigs(?:\/([^/]+))?$/.exec(path))) {
      const [, org, id] = match as unknown as [string, string, string | undefined];
      if (method === 'GET' && !id) {
        if (this.denyList.has(org)) throw Object.assign(new Error(`Permission denied on resource '${org}'`), { status: 403 });
        return this.paged('muteConfigs', [...this.muteConfigs].filter(([name]) => name.startsWith(`${org}/`)).map(([name, c]) => ({ name, filter: c.filter, description: c.description })), params);
      }
      if (method === 'DELETE' && id) {
        if (!this.muteConfigs.delete(`${org}/muteConfigs/${id}`)) throw Object.assign(new Error('mute config not found'), { status: 404 });
        return {};
      }
    }
    if ((match = /^\/v1\/(organizations\/[^/]+)\/notificationConfigs$/.exec(path))) {
      const org = match[1]!;
      if (method === 'GET') {
        return this.paged('notificationConfigs', [...this.notificationConfigs].filter(([name]) => name.startsWith(`${org}/`)).map(([name, c]) => ({ name, description: c.description, pubsubTopic: c.pubsubTopic, streamingConfig: { filter: c.filter } })), params);
      }
      if (method === 'POST') {
        const name = `${org}/notificationConfigs/${params.get('configId')}`;
        if (this.notificationConfigs.has(name)) throw Object.assign(new Error('already exists'), { status: 409 });
        this.notificationConfigs.set(name, { pubsubTopic: body.pubsubTopic, filter: body.streamingConfig?.filter ?? '', description: body.description ?? '' });
        return { name, description: body.description ?? '', pubsubTopic: body.pubsubTopic, streamingConfig: { filter: body.streamingConfig?.filter ?? '' }, serviceAccount: 'scc-notifications@example.iam.gserviceaccount.com' };
      }
    }
    if (method === 'GET' && (match = /^\/v1\/(organizations\/[^/]+)\/sources\/-\/findings$/.exec(path))) {
      const filter = params.get('filter') ?? '';
      const wanted = /state\s*=\s*"(\w+)"/.exec(filter)?.[1];
      const all = this.findings.filter((f) => !wanted || f.state === wanted);
      const start = Number(params.get('pageToken') || 0);
      const page = all.slice(start, start + this.pageSize);
      const e = (values: readonly string[], value: string) => (ints ? values.indexOf(value) : value);
      return {
        listFindingsResults: page.map((f) => ({
          finding: {
            name: f.name,
            parent: f.name.split('/findings/')[0],
            resourceName: f.resourceName,
            state: e(FINDING_STATE, f.state),
            category: f.category,
            severity: e(SEVERITY, f.severity),
            eventTime: f.eventTime,
            createTime: f.eventTime,
            mute: e(MUTE, f.mute ?? 'UNDEFINED'),
          },
          resource: { name: f.resourceName, type: 'google.compute.Instance' },
        })),
        ...(start + this.pageSize < all.length ? { nextPageToken: String(start + this.pageSize) } : {}),
        totalSize: all.length,
        readTime: '2026-11-23T00:00:00Z',
      };
    }
    throw Object.assign(new Error(`fake SCC has no ${method} ${path}`), { status: 404 });
  }
}
