import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';

/** Turns a host name into addresses. Injected through the check context so tests never query a real resolver. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

export class HostResolutionError extends Error {
  constructor(
    readonly hostname: string,
    readonly code: string,
  ) {
    super(`cannot resolve host '${hostname}' (${code})`);
  }
}

/**
 * With no servers configured this is the system resolver (getaddrinfo, which honours /etc/hosts); with servers
 * (`network.dnsServers` in config) it asks exactly those for A and AAAA records, so a daemon can use the internal
 * split-horizon resolver for the zones it audits.
 */
export function createHostResolver(servers: readonly string[] = []): ResolveHost {
  if (servers.length === 0) {
    return async (hostname) => {
      if (isIP(hostname)) return [hostname];
      try {
        const answers = await dns.lookup(hostname, { all: true, verbatim: true });
        return unique(answers.map((answer) => answer.address));
      } catch (error) {
        throw new HostResolutionError(hostname, (error as NodeJS.ErrnoException).code ?? 'ERROR');
      }
    };
  }
  const resolver = new dns.Resolver({ timeout: 2000, tries: 2 });
  resolver.setServers([...servers]);
  return async (hostname) => {
    if (isIP(hostname)) return [hostname];
    const [v4, v6] = await Promise.allSettled([resolver.resolve4(hostname), resolver.resolve6(hostname)]);
    const addresses = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (addresses.length === 0) {
      const reason = v4.status === 'rejected' ? v4.reason : v6.status === 'rejected' ? v6.reason : undefined;
      throw new HostResolutionError(hostname, (reason as NodeJS.ErrnoException | undefined)?.code ?? 'ENODATA');
    }
    return unique(addresses);
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
