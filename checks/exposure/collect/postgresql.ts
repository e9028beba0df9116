import { describeEnd, exchange } from './exchange.js';
import type { LineProbeOptions } from './redis.js';

/** What the server asked for after our start-up message (no password is ever sent). */
export type PostgresAuth = 'trust' | 'cleartext-password' | 'md5' | 'scram' | 'gss' | 'sspi' | 'other' | 'rejected';

export interface PostgresReport {
  readonly auth: PostgresAuth;
  /** SASL mechanisms offered, for scram. */
  readonly mechanisms?: readonly string[];
  /** From ParameterStatus, only known when the server let us in (trust). */
  readonly serverVersion?: string;
  /** SQLSTATE and message of a refusal (e.g. 28000 no pg_hba.conf entry). */
  readonly error?: { readonly code: string; readonly message: string };
}

export interface PostgresProbeOptions extends LineProbeOptions {
  readonly user: string;
}

const AUTH_CODES: Record<number, PostgresAuth> = { 0: 'trust', 3: 'cleartext-password', 5: 'md5', 7: 'gss', 9: 'sspi', 10: 'scram' };
// Terminate: 'X' + length 4. Ends the session cleanly when trust let us in.
const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);

export function startupMessage(user: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0postgres\0application_name\0vigil-audit\0\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4); // protocol 3.0
  return Buffer.concat([head, params]);
}

/**
 * Sends a start-up message and reads which authentication the server demands: the protocol reveals trust (it answers
 * AuthenticationOk at once) without a password. On trust we read the server version from ParameterStatus and send
 * Terminate: nothing is queried and nothing is written.
 */
export async function probePostgres(address: string, port: number, options: PostgresProbeOptions): Promise<PostgresReport> {
  const result = await exchange(address, port, {
    send: startupMessage(options.user),
    connectTimeoutMs: options.connectTimeoutMs,
    totalTimeoutMs: options.timeoutMs,
    isComplete: (data) => parsePostgresAnswer(data).complete,
    // Only a session that trust opened is ended politely; hanging up mid-authentication is what psql does too.
    farewell: (answer) => (parsePostgresAnswer(answer).report?.auth === 'trust' ? TERMINATE : undefined),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const parsed = parsePostgresAnswer(result.data);
  if (!parsed.report) throw describeEnd('postgresql start-up', result, options.timeoutMs);
  return parsed.report;
}

export function parsePostgresAnswer(data: Buffer): { complete: boolean; report?: PostgresReport } {
  let offset = 0;
  let trust = false;
  let serverVersion: string | undefined;
  while (data.length - offset >= 5) {
    const type = String.fromCharCode(data[offset]!);
    const length = data.readInt32BE(offset + 1);
    if (length < 4 || length > 1 << 20) return { complete: true };
    if (data.length - offset < 1 + length) break;
    const body = data.subarray(offset + 5, offset + 1 + length);
    offset += 1 + length;
    if (type === 'R' && body.length >= 4) {
      const code = body.readInt32BE(0);
      const auth = AUTH_CODES[code] ?? 'other';
      if (auth !== 'trust') {
        const mechanisms = auth === 'scram' ? body.subarray(4).toString('utf8').split('\0').filter(Boolean) : undefined;
        return { complete: true, report: { auth, ...(mechanisms ? { mechanisms } : {}) } };
      }
      trust = true;
    } else if (type === 'E') {
      const fields = Object.fromEntries(
        body
          .toString('utf8')
          .split('\0')
          .filter(Boolean)
          .map((field) => [field[0]!, field.slice(1)]),
      );
      const error = { code: fields.C ?? '?', message: (fields.M ?? '').slice(0, 160) };
      // Password methods ask for the password before they look the role up (so names do not leak); a "role does not
      // exist" refusal before any request, or any error after AuthenticationOk, means pg_hba let us through: trust.
      const passedHba = trust || (error.code === '28000' && /^role ".*" does not exist$/.test(error.message));
      return { complete: true, report: { auth: passedHba ? 'trust' : 'rejected', error } };
    } else if (type === 'S' && trust) {
      const [name, value] = body.toString('utf8').split('\0');
      if (name === 'server_version' && value) serverVersion = value.slice(0, 40);
    } else if (type === 'Z' && trust) {
      return { complete: true, report: { auth: 'trust', ...(serverVersion ? { serverVersion } : {}) } };
    } else if (!'RESKZN'.includes(type)) return { complete: true };
  }
  return trust ? { complete: false, report: { auth: 'trust', ...(serverVersion ? { serverVersion } : {}) } } : { complete: false };
}
