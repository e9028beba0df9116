import { createHash, timingSafeEqual } from 'node:crypto';

export interface ApiToken {
  readonly name: string;
  readonly token: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Bearer-token check in constant time: both sides are hashed to 32 bytes first, so neither the comparison nor a length
 * mismatch leaks how much of a guess was right, and every configured token is compared (no early exit).
 */
export function bearerAuthenticator(tokens: readonly ApiToken[]): (authorization: string | undefined) => string | undefined {
  const known = tokens.map((t) => ({ name: t.name, digest: digest(t.token) }));
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) return undefined;
    const presented = digest(match[1]!);
    let found: string | undefined;
    for (const token of known) if (timingSafeEqual(token.digest, presented) && found === undefined) found = token.name;
    return found;
  };
}
