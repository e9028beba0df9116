import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { z } from 'zod';

/** One entry of a host list: an IPv4/IPv6 address, a CIDR block, or a DNS name. */
export type HostSpec =
  | { readonly kind: 'address'; readonly address: string }
  | { readonly kind: 'cidr'; readonly cidr: string }
  | { readonly kind: 'hostname'; readonly hostname: string };

const HOSTNAME = /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\.?$/;

export function parseHostSpec(value: string): HostSpec | string {
  const text = value.trim().replace(/^\[(.*)\]$/, '$1');
  if (isIP(text)) return { kind: 'address', address: normalizeAddress(text) };
  if (text.includes('/')) {
    try {
      const [range, bits] = ipaddr.parseCIDR(text);
      return { kind: 'cidr', cidr: `${range.toString()}/${bits}` };
    } catch {
      return `'${value}' is not a valid CIDR block (e.g. 10.0.0.0/24 or 2001:db8::/120)`;
    }
  }
  if (/^[\d.]+$/.test(text)) return `'${value}' is not a valid IPv4 address`;
  if (HOSTNAME.test(text)) return { kind: 'hostname', hostname: text.replace(/\.$/, '').toLowerCase() };
  return `'${value}' is not an IP address, CIDR block or host name`;
}

export const hostSpecSchema = z.string().transform((value, ctx) => {
  const parsed = parseHostSpec(value);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

export function normalizeAddress(address: string): string {
  return ipaddr.parse(address).toString();
}

export function cidrSize(cidr: string): bigint {
  const [range, bits] = ipaddr.parseCIDR(cidr);
  const width = range.kind() === 'ipv4' ? 32 : 128;
  return 1n << BigInt(width - bits);
}

/** Every address in a CIDR block, in order. Callers cap the size first: an IPv6 /64 has no business in a sweep. */
export function* expandCidr(cidr: string): Generator<string> {
  const [range, bits] = ipaddr.parseCIDR(cidr);
  const bytes = range.toByteArray();
  const width = bytes.length * 8;
  let value = bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
  const hostBits = BigInt(width - bits);
  value = (value >> hostBits) << hostBits;
  const count = 1n << hostBits;
  for (let i = 0n; i < count; i++) {
    const current = value + i;
    const out: number[] = [];
    for (let b = bytes.length - 1; b >= 0; b--) out[b] = Number((current >> BigInt((bytes.length - 1 - b) * 8)) & 0xffn);
    yield ipaddr.fromByteArray(out).toString();
  }
}

/** `[::1]:22` for IPv6 so the port is unambiguous; `10.0.0.1:22` otherwise. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
