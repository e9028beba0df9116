import type { CollectorErrorInfo } from '../../../../src/check-api/types.js';

/**
 * Error codes that mean "we were refused", across the query, JSON and REST protocols. A refused scope is partial,
 * never a pass: Prowler drops such regions silently, and that is the bug this list exists to avoid.
 */
const DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'AuthFailure',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'OptInRequired',
  'AuthorizationErrorException',
]);

export function awsErrorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'name' in error && typeof error.name === 'string') return error.name;
  return 'Error';
}

export function isAccessDenied(error: unknown): boolean {
  return DENIED.has(awsErrorCode(error));
}

/** Names a collector failure by what happens next: denied (fix the policy) or unreachable (retry next tick). */
export function collectorError(error: unknown, operation: string): CollectorErrorInfo {
  const code = awsErrorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (DENIED.has(code)) return { name: 'CollectorAccessDenied', message: `${operation}: ${code}: ${message}` };
  if (code === 'ZodError') return { name: 'CollectorInvalidResponse', message: `${operation}: unexpected response shape: ${message}` };
  return { name: 'CollectorUnreachable', message: `${operation}: ${code}: ${message}` };
}

/** Wraps an SDK call so a failure carries the operation name into coverage. */
export class AwsOperationError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new AwsOperationError(operation, error);
  }
}
