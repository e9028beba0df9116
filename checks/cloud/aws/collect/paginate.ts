import type { CollectorErrorInfo } from '../../../../src/check-api/types.js';
import { AwsOperationError, call, collectorError } from './aws-errors.js';

/**
 * Follows a token until the last page. Each page is one call; the token, not a page count, decides the end, so an API
 * that returns an empty page with a token is still followed.
 */
export async function allPages<Out, Item>(
  send: (token: string | undefined) => Promise<Out>,
  items: (out: Out) => readonly Item[] | undefined,
  next: (out: Out) => string | undefined,
): Promise<Item[]> {
  const all: Item[] = [];
  let token: string | undefined;
  do {
    const out = await send(token);
    all.push(...(items(out) ?? []));
    token = next(out) || undefined;
  } while (token);
  return all;
}

/** A loosely typed `send` for one client: results are checked by each collector's zod schema, not by the SDK types. */
export function sender(client: object, signal: AbortSignal) {
  return <T>(operation: string, command: object): Promise<T> =>
    call(operation, () => (client as { send(command: object, options: object): Promise<T> }).send(command, { abortSignal: signal }));
}

/**
 * A per-resource read that failed (a bucket or key policy that denies the auditor) while the rest of the scope was
 * read: the data of the other resources is kept and the scope is reported failed, so nothing there resolves or passes.
 */
export interface ReadError {
  readonly resource: string;
  readonly operation: string;
  readonly error: CollectorErrorInfo;
}

export function readError(resource: string, error: unknown): ReadError {
  const operation = error instanceof AwsOperationError ? error.operation : 'read';
  return { resource, operation, error: collectorError(error instanceof AwsOperationError ? error.cause : error, operation) };
}
