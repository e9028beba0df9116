import type { CollectorErrorInfo } from '../../../src/check-api/types.js';

/** gRPC status codes as google-gax reports them, REST errors included. */
const PERMISSION_DENIED = 7;
const UNAUTHENTICATED = 16;

export function gcpCollectorError(error: unknown, operation: string): CollectorErrorInfo {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === PERMISSION_DENIED || code === UNAUTHENTICATED || code === 403 || code === 401) return { name: 'CollectorAccessDenied', message: `${operation}: ${message}` };
  if ((error as { name?: string }).name === 'ZodError') return { name: 'CollectorInvalidResponse', message: `${operation}: unexpected response shape: ${message}` };
  return { name: 'CollectorUnreachable', message: `${operation}: ${message}` };
}
