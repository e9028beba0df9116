import type { z } from 'zod';
import type { Logger } from '../log.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Numeric rank so severities compare with `>=`; info is the lowest. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export const AREAS = ['secrets', 'dependencies', 'deps', 'aws', 'gcp', 'killswitch', 'dns', 'ports', 'exposure', 'k8s'] as const;
export type Area = (typeof AREAS)[number];

/**
 * A pointer into a framework (CIS, CWE, ATT&CK, AWS FSBP...). Benchmark numbers live here and never in check ids,
 * because CIS renumbers controls between versions and the id feeds the fingerprint.
 */
export interface Reference {
  readonly framework: string;
  readonly version?: string;
  readonly control: string;
  readonly title?: string;
  readonly url?: string;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface FindingLocation {
  readonly file?: string;
  readonly line?: number;
  readonly commit?: string;
  readonly region?: string;
  readonly url?: string;
  readonly host?: string;
  readonly port?: number;
}

/** What a check yields. The store derives the fingerprint from (checkId, resourceId, key). */
export interface FindingInput {
  readonly resourceId: string;
  /** Separates two findings on one resource; '' when a resource has at most one finding for this check. */
  readonly key?: string;
  /**
   * The coverage scope this finding belongs to (a host, a repo, an account/region). A complete run resolves the
   * absent findings only in scopes it covered. Defaults to the run's target id.
   */
  readonly scope?: string;
  readonly title: string;
  readonly severity: Severity;
  /** Already redacted: nothing persisted, logged or sent may hold a raw secret. */
  readonly evidence: { readonly [key: string]: JsonValue };
  readonly location?: FindingLocation;
  readonly remediation?: string;
  readonly tags?: readonly string[];
  /**
   * An audited exception declared in config (control, object selector, reason, owner, expiry): the store records it as
   * an `accepted` decision by `owner` until `until`, so it silences alerts and lapses like any accepted risk. Past
   * `until` it is ignored and the finding alerts again.
   */
  readonly acceptance?: { readonly reason: string; readonly owner: string; readonly until: number };
}

/**
 * Why a finding this run no longer reports is resolved (an advisory was retracted, a VEX statement covers it): the
 * reason goes on the finding's `resolved` event, so an alert or audit trail says why, not just that it went away.
 */
export interface ResolutionReason {
  readonly resourceId: string;
  readonly key?: string;
  readonly reason: string;
}

/** Names the scope a collector looked at, e.g. `host:127.0.0.1`, `aws:123456789012/eu-west-1`, `repo:api`. */
export type Scope = string;

export interface CollectorErrorInfo {
  /** Named by what happens next: CollectorAccessDenied, CollectorUnreachable, CollectorTimeout... */
  readonly name: string;
  readonly message: string;
}

export interface Coverage {
  readonly ok: readonly Scope[];
  readonly failed: readonly { readonly scope: Scope; readonly error: CollectorErrorInfo }[];
  /** Things deliberately not looked at (binary blobs, oversized files), counted so coverage is honest. */
  readonly skipped?: readonly { readonly scope: Scope; readonly reason: string; readonly count: number }[];
}

export interface Collected<T> {
  readonly data: T;
  readonly coverage: Coverage;
}

/** Small key-value store for incremental work; writes are staged and committed only with a successful run. */
export interface CursorStore {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}

export interface Clock {
  now(): number;
}

export interface ProgressReporter {
  (done: number, total: number, message?: string): void;
}

/** The run target: a named entry from config, or an ad-hoc `--target` from the CLI. */
export interface RunTarget {
  /** Stable id: the config target name, or `cli:<value>` for an ad-hoc target. */
  readonly id: string;
}

export interface CheckContext<Options> {
  readonly checkId: string;
  readonly target: RunTarget;
  readonly options: Options;
  readonly log: Logger;
  readonly signal: AbortSignal;
  readonly progress: ProgressReporter;
  readonly cursor: CursorStore;
  readonly clock: Clock;
  /** Service clients and seams (SDK clients, resolvers) injected by the caller; never created at import time. */
  readonly services: Readonly<Record<string, unknown>>;
  /**
   * Runs another collector through the run group's memo, so a shared collector can build on another shared one (each
   * AWS service collector needs the account and region list, which must be asked for once per group, not once per
   * service). Absent outside the runner; callers then call the collector directly.
   */
  readonly collect?: <T>(collector: Collector<T, any>) => Promise<Collected<T>>;
}

export type Collector<T, Options = unknown> = (ctx: CheckContext<Options>) => Promise<Collected<T>>;

export type CollectedData<Needs> = { [K in keyof Needs]: Needs[K] extends Collector<infer T, any> ? T : never };

export interface CheckMeta {
  readonly id: string;
  readonly title: string;
  readonly area: Area;
  readonly severity: Severity;
  readonly description: string;
  readonly remediation: string;
  readonly references: readonly Reference[];
}

export interface CheckDefinition<OptionsSchema extends z.ZodType = z.ZodType, Needs extends Record<string, Collector<any, any>> = Record<string, Collector<any, any>>>
  extends CheckMeta {
  readonly options: OptionsSchema;
  readonly needs: Needs;
  /** Turns an ad-hoc `--target` string into options for this check; absent when the check takes no CLI target. */
  readonly cliTarget?: (value: string) => Partial<z.input<OptionsSchema>>;
  /**
   * Checks an ad-hoc target before anything runs (e.g. that host names resolve), throwing InvalidConfigError, so
   * `audit run --target` fails fast with exit 2 instead of recording a partial run of a typo.
   */
  readonly preflight?: (options: z.output<OptionsSchema>, services: Readonly<Record<string, unknown>>) => Promise<void>;
  /**
   * The schedule a job of this check gets when its config gives none (`schedule: manual` opts out). For checks whose
   * promise is a latency, such as deps' "an advisory is an alert within one sync interval".
   */
  readonly defaultSchedule?: { readonly everyMs: number };
  /** Pure: collected inventory and options in, findings out. */
  // Method syntax on purpose: parameters stay bivariant, so a concrete check is assignable to AnyCheck without a cast.
  evaluate(data: CollectedData<Needs>, options: z.output<OptionsSchema>): FindingInput[];
  /**
   * Optional and pure, like evaluate: reasons for findings that may disappear in this run. The ledger uses one only if
   * the finding is in fact resolved (absent from a complete run, in a covered scope); others are ignored.
   */
  resolutionReasons?(data: CollectedData<Needs>, options: z.output<OptionsSchema>): ResolutionReason[];
  /**
   * Optional, and the only part of a check that changes the world (turning GuardDuty back on). The runner calls it
   * after `evaluate` only when the job's options say `mode: enforce`; it must verify each fix by reading back and
   * report every attempt, failed ones included, so each becomes an event with before and after.
   */
  remediate?(input: RemediateInput<CollectedData<Needs>, z.output<OptionsSchema>>): Promise<RemediationRecord[]>;
}

export interface RemediateInput<Data, Options> {
  readonly data: Data;
  readonly findings: readonly FindingInput[];
  readonly options: Options;
  readonly ctx: CheckContext<Options>;
}

/** One remediation attempt for one finding (matched by resourceId + key), with the state read before and after. */
export interface RemediationRecord {
  readonly resourceId: string;
  readonly key?: string;
  /** The API calls made, e.g. `guardduty:UpdateDetector`. */
  readonly actions: readonly string[];
  /** `fixed` only when a read-back confirmed the intended state. */
  readonly outcome: 'fixed' | 'failed';
  readonly before: { readonly [key: string]: JsonValue };
  /** The read-back state; null when the write failed before anything could be read back. */
  readonly after: { readonly [key: string]: JsonValue } | null;
  readonly error?: string;
}

// Erased type used by the registry and the runner, which handle every check alike.
export type AnyCheck = CheckDefinition<z.ZodType, Record<string, Collector<any, any>>>;

export type RunOutcome = 'ok' | 'partial' | 'failed' | 'aborted' | 'timeout' | 'skipped';
export const RUN_OUTCOMES: readonly RunOutcome[] = ['ok', 'partial', 'failed', 'aborted', 'timeout', 'skipped'];
