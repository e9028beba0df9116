import { deserialize, serialize, type Document } from 'bson';
import { exchange, type ExchangeResult } from './exchange.js';
import type { LineProbeOptions } from './redis.js';

export interface MongoReport {
  /** listDatabases answered without authentication: anyone who reaches the port reads everything. */
  readonly open: boolean;
  readonly version?: string;
  readonly databases?: readonly string[];
  readonly refusal?: string;
}

const OP_MSG = 2013;

/**
 * Builds one OP_MSG (MongoDB wire protocol, "kind 0" body section). Hand-written framing (16-byte header + flags)
 * around the official `bson` codec, because the driver cannot send a single command without its handshake, pool and
 * retry logic, which would turn a 2-second probe into a connection manager.
 */
export function opMsg(requestId: number, command: Document): Buffer {
  const body = Buffer.from(serialize(command));
  const header = Buffer.alloc(21);
  header.writeInt32LE(21 + body.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(0, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, body]);
}

/** Splits complete OP_MSG replies off a buffer; anything that is not OP_MSG framing ends the parse. */
export function parseOpMsgReplies(data: Buffer): Document[] {
  const docs: Document[] = [];
  let offset = 0;
  while (data.length - offset >= 21) {
    const length = data.readInt32LE(offset);
    if (length < 21 || length > 16 * 1024 * 1024 || data.readInt32LE(offset + 12) !== OP_MSG) break;
    if (data.length - offset < length) break;
    if (data.readUInt8(offset + 20) !== 0) break;
    try {
      docs.push(deserialize(data.subarray(offset + 21, offset + length)));
    } catch {
      break;
    }
    offset += length;
  }
  return docs;
}

/**
 * `hello` (always allowed before authentication) identifies a mongod/mongos, `buildInfo` (also allowed) gives the
 * version, and `listDatabases` with
 * nameOnly is the read-only command that needs authentication when access control is on (error 13 Unauthorized).
 * All three go in one write: a server that is not MongoDB just sees packets of bytes it rejects.
 */
export async function probeMongo(address: string, port: number, options: LineProbeOptions): Promise<{ report?: MongoReport; result: ExchangeResult }> {
  const request = Buffer.concat([
    opMsg(1, { hello: 1, $db: 'admin' }),
    opMsg(2, { buildInfo: 1, $db: 'admin' }),
    opMsg(3, { listDatabases: 1, nameOnly: true, $db: 'admin' }),
  ]);
  const result = await exchange(address, port, {
    send: request,
    connectTimeoutMs: options.connectTimeoutMs,
    totalTimeoutMs: options.timeoutMs,
    isComplete: (data) => parseOpMsgReplies(data).length >= 3,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const [hello, build, list] = parseOpMsgReplies(result.data);
  if (!hello || (hello.isWritablePrimary === undefined && hello.ismaster === undefined && hello.maxWireVersion === undefined)) return { result };
  const version = typeof build?.version === 'string' ? build.version.slice(0, 40) : undefined;
  if (!list) return { report: { open: false, ...(version ? { version } : {}), refusal: 'no answer to listDatabases' }, result };
  if (list.ok === 1 && Array.isArray(list.databases)) {
    const databases = list.databases.map((db: Document) => String(db.name)).slice(0, 50);
    return { report: { open: true, ...(version ? { version } : {}), databases }, result };
  }
  const refusal = `${String(list.codeName ?? 'error')} (${String(list.code ?? '?')}): ${String(list.errmsg ?? '').slice(0, 120)}`;
  return { report: { open: false, ...(version ? { version } : {}), refusal }, result };
}
