import { createHash } from 'node:crypto';

/**
 * A finding's identity. The NUL separator keeps ('a.b', 'c') and ('a', 'b.c') apart; ids never change, so
 * neither does the fingerprint across releases.
 */
export function fingerprintOf(checkId: string, resourceId: string, key = ''): string {
  return createHash('sha256').update(`${checkId}\0${resourceId}\0${key}`, 'utf8').digest('hex');
}
