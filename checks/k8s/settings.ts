import type { ComponentConfig, ComponentName, NodeInventory } from './model.js';
import { parseKeyValueList } from './collect/flags.js';

/**
 * Reads a component's effective settings: command-line flag first (flags override the config file, as the kubelet
 * documents), then the config file key, then the upstream default. The default differs with the source: a kubelet
 * started with `--config` gets KubeletConfiguration defaults (anonymous auth off, Webhook authorization, read-only port
 * 0), one started with flags only gets the flag defaults (anonymous auth on, AlwaysAllow, 10255).
 */
export class ComponentSettings {
  constructor(
    readonly name: ComponentName,
    readonly component: ComponentConfig,
    readonly node: NodeInventory,
  ) {}

  /** A flag, or the environment variable etcd also reads it from (`--client-cert-auth` ↔ ETCD_CLIENT_CERT_AUTH). */
  flag(flag: string): string | undefined {
    const value = this.component.flags[flag];
    if (value !== undefined) return value;
    if (this.name === 'etcd') return this.component.env[`ETCD_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`];
    return undefined;
  }

  config(path: string): unknown {
    let value: unknown = this.component.config?.value;
    for (const part of path.split('.')) {
      if (value === null || typeof value !== 'object') return undefined;
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }

  get usesConfigFile(): boolean {
    return this.component.config !== undefined;
  }

  /** The effective value and where it came from, for evidence. */
  resolve(setting: SettingSpec): { value: string | undefined; from: string } {
    const flagged = setting.flag ? this.flag(setting.flag) : undefined;
    if (flagged !== undefined) return { value: flagged, from: `${this.component.source}: ${setting.flag}` };
    if (setting.config && this.usesConfigFile) {
      const configured = this.config(setting.config);
      if (configured !== undefined && configured !== null) return { value: Array.isArray(configured) ? configured.join(',') : String(configured), from: `${this.component.config!.path}: ${setting.config}` };
    }
    const fallback = this.usesConfigFile ? (setting.configDefault ?? setting.flagDefault) : setting.flagDefault;
    return { value: fallback, from: fallback === undefined ? 'unset' : `unset: upstream default ${fallback}` };
  }

  featureGate(gate: string, configPath = 'featureGates'): string | undefined {
    const flagged = parseKeyValueList(this.flag('--feature-gates'))[gate];
    if (flagged !== undefined) return flagged;
    const configured = this.config(`${configPath}.${gate}`);
    return configured === undefined ? undefined : String(configured);
  }
}

export interface SettingSpec {
  readonly flag?: string;
  /** Dotted path in the component's config file (KubeletConfiguration, KubeProxyConfiguration). */
  readonly config?: string;
  readonly flagDefault?: string;
  readonly configDefault?: string;
}

/**
 * Go durations (`0s`, `5m`, `4h0m0s`, `1h30m`, `300ms`) in milliseconds, so `0s` is zero, not a non-empty string that
 * differs from "0" (kube-bench's noteq passes it). undefined when the text is not a duration.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const pattern = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  const body = trimmed.replace(/^[+-]/, '');
  while ((match = pattern.exec(body)) !== null) {
    total += Number(match[1]) * units[match[2]!]!;
    consumed = pattern.lastIndex;
  }
  if (consumed === 0 || consumed !== body.length) return undefined;
  return trimmed.startsWith('-') ? -total : total;
}

/** Cipher suites CIS accepts (AEAD with forward secrecy, plus the TLS 1.3 suites). */
export const STRONG_CIPHERS = new Set([
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);
