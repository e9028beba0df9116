/**
 * Command-line parsing the way the components' pflag parsers read it: `--flag=value`, `--flag value`, and a bare
 * `--flag` (a boolean set to true). The last occurrence of a flag wins, as in pflag.
 */
export function parseFlags(argv: readonly string[]): Record<string, string> {
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (!token.startsWith('--')) continue;
    const eq = token.indexOf('=');
    if (eq > 2) {
      flags[token.slice(0, eq)] = token.slice(eq + 1);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith('-') && !BOOLEAN_FLAGS.has(token)) {
      flags[token] = next;
      i++;
    } else {
      flags[token] = 'true';
    }
  }
  return flags;
}

/** Flags that never take a separate value token, so `--profiling kube-apiserver-next-arg` is not misread. */
const BOOLEAN_FLAGS = new Set([
  '--anonymous-auth',
  '--profiling',
  '--service-account-lookup',
  '--use-service-account-credentials',
  '--client-cert-auth',
  '--peer-client-cert-auth',
  '--auto-tls',
  '--peer-auto-tls',
  '--rotate-certificates',
  '--make-iptables-util-chains',
  '--protect-kernel-defaults',
  '--seccomp-default',
  '--service-account-extend-token-expiration',
]);

/** Splits a shell-like command line (systemd ExecStart, env files): whitespace separated, simple quotes honoured. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  let has = false;
  for (const char of line) {
    if (quote) {
      if (char === quote) quote = undefined;
      else current += char;
      continue;
    }
    if (char === '"' || char === "'") {
      quote = char;
      has = true;
      continue;
    }
    if (/\s/.test(char)) {
      if (has || current) out.push(current);
      current = '';
      has = false;
      continue;
    }
    current += char;
  }
  if (has || current) out.push(current);
  return out;
}

/** `a=true,b=false` (feature gates) → { a: 'true', b: 'false' }. */
export function parseKeyValueList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? '').split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
