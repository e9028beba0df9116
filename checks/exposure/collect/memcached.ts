import { exchange, type ExchangeResult } from './exchange.js';
import type { LineProbeOptions } from './redis.js';

export interface MemcachedReport {
  /** `stats` answered without authentication. */
  readonly open: boolean;
  readonly refusal?: string;
  readonly version?: string;
  readonly currentItems?: number;
  readonly currentConnections?: number;
}

/**
 * `stats` is read-only and answered by every text-protocol memcached; with SASL or an auth file the server answers
 * CLIENT_ERROR or closes instead. Returns undefined when the answer is not memcached's (the caller tried a guess).
 */
export async function probeMemcached(address: string, port: number, options: LineProbeOptions): Promise<{ report?: MemcachedReport; result: ExchangeResult }> {
  const result = await exchange(address, port, {
    send: Buffer.from('stats\r\n'),
    connectTimeoutMs: options.connectTimeoutMs,
    totalTimeoutMs: options.timeoutMs,
    isComplete: (data) => /(^|\r\n)END\r\n$/.test(data.toString('latin1')) || /^(CLIENT_ERROR|SERVER_ERROR)[^\r\n]*\r\n/.test(data.toString('latin1')),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const report = parseMemcachedStats(result.data.toString('latin1'));
  return report ? { report, result } : { result };
}

export function parseMemcachedStats(text: string): MemcachedReport | undefined {
  const refusal = /^(CLIENT_ERROR|SERVER_ERROR) ([^\r\n]*(auth|unauth)[^\r\n]*)\r\n/i.exec(text);
  if (refusal) return { open: false, refusal: `${refusal[1]} ${refusal[2]}`.slice(0, 160) };
  if (!/^STAT pid \d+\r\n/.test(text) || !/\r\nEND\r\n$/.test(text)) return undefined;
  const stats = Object.fromEntries([...text.matchAll(/^STAT (\S+) ([^\r\n]*)\r$/gm)].map((m) => [m[1]!, m[2]!]));
  return {
    open: true,
    ...(stats.version ? { version: stats.version.slice(0, 40) } : {}),
    ...(stats.curr_items !== undefined ? { currentItems: Number(stats.curr_items) } : {}),
    ...(stats.curr_connections !== undefined ? { currentConnections: Number(stats.curr_connections) } : {}),
  };
}
