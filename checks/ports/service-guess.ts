/**
 * Pure classification of what a port said. Server-first protocols identify themselves in their greeting; the rest
 * are recognised by their answer to one small probe each (see collect/service-probe.ts).
 */
export const SERVICES = ['ssh', 'smtp', 'ftp', 'pop3', 'imap', 'mysql', 'http', 'tls', 'redis', 'postgresql', 'unknown'] as const;
export type Service = (typeof SERVICES)[number];

export type ProbeKind = 'http' | 'redis' | 'postgresql';

/** What a greeting (bytes the server sent before we said anything) tells. */
export function classifyGreeting(greeting: Buffer): Service | undefined {
  const text = greeting.toString('latin1');
  if (text.startsWith('SSH-')) return 'ssh';
  if (/^220[ -][^\r\n]*(E?SMTP|Postfix|Exim|Sendmail|mail)/i.test(text)) return 'smtp';
  if (/^220[ -][^\r\n]*FTP/i.test(text)) return 'ftp';
  if (/^220[ -]/.test(text)) return 'smtp';
  if (text.startsWith('+OK')) return 'pop3';
  if (text.startsWith('* OK')) return 'imap';
  if (isMySqlHandshake(greeting)) return 'mysql';
  return undefined;
}

/** What the answer to one of our probes tells; each probe can only confirm its own protocol. */
export function classifyProbeAnswer(probe: ProbeKind, answer: Buffer): Service | undefined {
  const text = answer.toString('latin1');
  switch (probe) {
    case 'http':
      return /^HTTP\/\d(\.\d)? \d{3}/.test(text) ? 'http' : undefined;
    case 'redis':
      return /^(\+PONG|-NOAUTH|-DENIED|-ERR operation not permitted|-WRONGPASS)/.test(text) ? 'redis' : undefined;
    case 'postgresql':
      // The answer to SSLRequest is exactly one byte: S (will do TLS) or N (will not).
      return answer.length === 1 && (text === 'S' || text === 'N') ? 'postgresql' : undefined;
  }
}

/**
 * MySQL/MariaDB greet with a packet: 3-byte little-endian length, sequence id 0, protocol version 10, a NUL-terminated
 * server version. An error packet (0xff) is also MySQL: "Host is not allowed to connect".
 */
function isMySqlHandshake(greeting: Buffer): boolean {
  if (greeting.length < 6) return false;
  const length = greeting[0]! | (greeting[1]! << 8) | (greeting[2]! << 16);
  if (greeting[3] !== 0 || length < 2 || length > 1024) return false;
  if (greeting[4] === 0x0a) return greeting.indexOf(0, 5) > 5;
  return greeting[4] === 0xff && greeting.length >= 7;
}

/** A greeting reduced to printable text for evidence: bounded, single line, nothing that could break a terminal. */
export function printableBanner(data: Buffer, maxLength = 160): string {
  const text = data
    .toString('latin1')
    .replace(/\r?\n/g, ' ')
    .replace(/[^\x20-\x7e]/g, '.')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

export function mysqlVersion(greeting: Buffer): string | undefined {
  if (greeting[4] !== 0x0a) return undefined;
  const end = greeting.indexOf(0, 5);
  return end > 5 ? greeting.subarray(5, end).toString('latin1') : undefined;
}
