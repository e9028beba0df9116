import { OAuth2Client } from 'google-auth-library';
import { createGcpClients, type GcpClients } from '../../../checks/gcp/collect/clients.js';
import type { SccServer } from './scc-server.js';

/**
 * Real SCC clients in REST mode pointed at the loopback server. Auth is a real OAuth2 client holding a synthetic,
 * unexpired access token (nothing is ever fetched from Google); the management library's older gax takes any object
 * that yields request headers.
 */
export function gcpClientsFor(server: SccServer): GcpClients {
  const oauth = new OAuth2Client();
  oauth.setCredentials({ access_token: ['test', 'token'].join('-'), expiry_date: Date.now() + 3_600_000 });
  return createGcpClients({
    apiEndpoint: '127.0.0.1',
    port: server.port,
    protocol: 'http',
    securityCenterAuthClient: oauth,
    resourceManagerAuthClient: oauth,
    managementAuthClient: { getRequestHeaders: async () => ({ authorization: 'Bearer test-token' }) },
  });
}
