import { describeEnd, exchange } from './exchange.js';

export interface RedisReport {
  /** PING answered +PONG without AUTH. */
  readonly open: boolean;
  /** The first error line when the server refused (NOAUTH, protected-mode DENIED, WRONGPASS...). */
  readonly refusal?: string;
  readonly version?: string;
  readonly mode?: string;
  readonly os?: string;
}

export interface LineProbeOptions {
  readonly connectTimeoutMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

// Two read-only commands pipelined: PING says whether AUTH is required, INFO server gives the version for evidence.
const REQUEST = Buffer.from('PING\r\nINFO server\r\n');

export async function probeRedis(address: string, port: number, options: LineProbeOptions): Promise<RedisReport> {
  const result = await exchange(address, port, {
    send: REQUEST,
    connectTimeoutMs: options.connectTimeoutMs,
    totalTimeoutMs: options.timeoutMs,
    isComplete: (data) => parseReplies(data).length >= 2,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const replies = parseReplies(result.data);
  const first = replies[0];
  if (first === undefined) throw describeEnd('redis PING', result, options.timeoutMs);
  if (first.kind === 'error') return { open: false, refusal: first.text.slice(0, 160) };
  if (first.text !== 'PONG') throw describeEnd('redis PING (unexpected answer)', { ...result, end: 'closed', error: 'not a Redis reply' }, options.timeoutMs);
  const info = replies[1]?.kind === 'bulk' ? parseInfo(replies[1].text) : {};
  return {
    open: true,
    ...(info.redis_version ? { version: info.redis_version } : {}),
    ...(info.redis_mode ? { mode: info.redis_mode } : {}),
    ...(info.os ? { os: info.os } : {}),
  };
}

type Reply = { kind: 'simple' | 'error' | 'bulk'; text: string };

/** Just enough RESP for two replies: simple strings, errors and bulk strings. */
export function parseReplies(data: Buffer): Reply[] {
  const replies: Reply[] = [];
  let offset = 0;
  while (offset < data.length) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const type = String.fromCharCode(data[offset]!);
    const head = data.subarray(offset + 1, lineEnd).toString('latin1');
    if (type === '+' || type === '-') {
      replies.push({ kind: type === '+' ? 'simple' : 'error', text: head });
      offset = lineEnd + 2;
    } else if (type === '$') {
      const length = Number(head);
      if (!Number.isInteger(length) || length < -1) break;
      if (length === -1) {
        replies.push({ kind: 'bulk', text: '' });
        offset = lineEnd + 2;
        continue;
      }
      if (data.length < lineEnd + 2 + length + 2) break;
      replies.push({ kind: 'bulk', text: data.subarray(lineEnd + 2, lineEnd + 2 + length).toString('utf8') });
      offset = lineEnd + 2 + length + 2;
    } else break;
  }
  return replies;
}

function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const index = line.indexOf(':');
    if (index > 0 && !line.startsWith('#')) out[line.slice(0, index)] = line.slice(index + 1).slice(0, 80);
  }
  return out;
}
