import { FoldersClient, ProjectsClient } from '@google-cloud/resource-manager';
import { SecurityCenterManagementClient } from '@google-cloud/securitycentermanagement';
import { v1 as securityCenterV1 } from '@google-cloud/security-center';

export type SecurityCenterClient = InstanceType<typeof securityCenterV1.SecurityCenterClient>;

/** SCC clients handed to collectors through `ctx.services.gcpClients`; created on first use, never at import time. */
export interface GcpClients {
  management(): SecurityCenterManagementClient;
  securityCenter(): SecurityCenterClient;
  /** Resource Manager v3, to walk an organization's folders and projects. */
  folders(): FoldersClient;
  projects(): ProjectsClient;
}

export interface GcpClientOptions {
  /** Host of a local server in tests (with `port` and `protocol: 'http'`); Google's endpoints when absent. */
  readonly apiEndpoint?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  /** Auth client for each library (they pin different google-auth-library majors); the default credentials when absent. */
  readonly managementAuthClient?: unknown;
  readonly securityCenterAuthClient?: unknown;
  readonly resourceManagerAuthClient?: unknown;
}

/**
 * Both clients run in REST ("fallback") mode: plain HTTPS/JSON, the transport that works through proxies and that a
 * loopback server can speak in tests.
 */
export function createGcpClients(options: GcpClientOptions = {}): GcpClients {
  const endpoint = {
    fallback: true,
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.port ? { port: options.port } : {}),
    ...(options.protocol ? { protocol: options.protocol } : {}),
  };
  let management: SecurityCenterManagementClient | undefined;
  let securityCenter: SecurityCenterClient | undefined;
  let folders: FoldersClient | undefined;
  let projects: ProjectsClient | undefined;
  const resourceManagerAuth = options.resourceManagerAuthClient ? { authClient: options.resourceManagerAuthClient as never } : {};
  return {
    folders: () => (folders ??= new FoldersClient({ ...endpoint, ...resourceManagerAuth })),
    projects: () => (projects ??= new ProjectsClient({ ...endpoint, ...resourceManagerAuth })),
    management: () =>
      (management ??= new SecurityCenterManagementClient({ ...endpoint, ...(options.managementAuthClient ? { authClient: options.managementAuthClient as never } : {}) })),
    securityCenter: () =>
      (securityCenter ??= new securityCenterV1.SecurityCenterClient({ ...endpoint, ...(options.securityCenterAuthClient ? { authClient: options.securityCenterAuthClient as never } : {}) })),
  };
}

let fallback: GcpClients | undefined;

export function gcpClientsFrom(services: Readonly<Record<string, unknown>>): GcpClients {
  const injected = services.gcpClients as GcpClients | undefined;
  if (injected) return injected;
  fallback ??= createGcpClients();
  return fallback;
}
