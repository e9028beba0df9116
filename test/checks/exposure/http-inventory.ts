import type { HttpReport, HttpResponseSummary } from '../../../checks/exposure/collect/http.js';
import { endpoint } from './inventory-builder.js';

export const response = (status: number, headers: Record<string, string> = {}, body = '', path = '/', title?: string): HttpResponseSummary => ({
  path,
  status,
  headers,
  body,
  ...(title ? { title } : {}),
});

export const httpEndpoint = (port: number, root: HttpResponseSummary, scheme: HttpReport['scheme'] = 'http', paths: HttpResponseSummary[] = []) =>
  endpoint({ port, service: scheme === 'http' ? 'http' : 'tls', http: { scheme, root, paths, timedOutPaths: [] } });

export const HARDENED = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  server: 'nginx',
};
