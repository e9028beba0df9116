import { describeEnd, exchange } from './exchange.js';
import type { LineProbeOptions } from './redis.js';

export interface MysqlReport {
  /** Protocol-10 handshake received: any client that reaches the port may try to log in. */
  readonly handshake: boolean;
  readonly version?: string;
  readonly authPlugin?: string;
  /** CLIENT_SSL capability: the server can upgrade to TLS. */
  readonly tls?: boolean;
  /** An error packet instead of a handshake, e.g. 1130 "Host ... is not allowed to connect". */
  readonly error?: { readonly code: number; readonly message: string };
}

/** MySQL and MariaDB speak first; the greeting alone tells version, TLS support and the default auth plugin. */
export async function probeMysql(address: string, port: number, options: LineProbeOptions): Promise<MysqlReport> {
  const result = await exchange(address, port, {
    connectTimeoutMs: options.connectTimeoutMs,
    totalTimeoutMs: options.timeoutMs,
    isComplete: (data) => data.length >= 4 && data.length >= 4 + (data[0]! | (data[1]! << 8) | (data[2]! << 16)),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const report = parseMysqlGreeting(result.data);
  if (!report) throw describeEnd('mysql greeting', result, options.timeoutMs);
  return report;
}

export function parseMysqlGreeting(packet: Buffer): MysqlReport | undefined {
  if (packet.length < 5) return undefined;
  const length = packet[0]! | (packet[1]! << 8) | (packet[2]! << 16);
  if (packet.length < 4 + length) return undefined;
  const body = packet.subarray(4, 4 + length);
  if (body[0] === 0xff && body.length >= 3) {
    const message = body.subarray(body[3] === 0x23 ? 9 : 3).toString('utf8');
    return { handshake: false, error: { code: body.readUInt16LE(1), message: message.slice(0, 160) } };
  }
  if (body[0] !== 0x0a) return undefined;
  const versionEnd = body.indexOf(0, 1);
  if (versionEnd < 0) return undefined;
  const version = body.subarray(1, versionEnd).toString('latin1').slice(0, 60);
  let offset = versionEnd + 1 + 4 + 8 + 1; // connection id, auth data part 1, filler
  if (body.length < offset + 2) return { handshake: true, version };
  let capabilities = body.readUInt16LE(offset);
  offset += 2 + 1 + 2; // lower capabilities, charset, status
  if (body.length >= offset + 2) capabilities |= body.readUInt16LE(offset) << 16;
  offset += 2;
  const authDataLength = body[offset] ?? 0;
  offset += 1 + 10 + Math.max(13, authDataLength - 8);
  const pluginEnd = body.indexOf(0, offset);
  const authPlugin = offset < body.length ? body.subarray(offset, pluginEnd < 0 ? body.length : pluginEnd).toString('latin1') : undefined;
  return { handshake: true, version, tls: (capabilities & 0x800) !== 0, ...(authPlugin ? { authPlugin } : {}) };
}
