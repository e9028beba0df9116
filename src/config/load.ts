import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InvalidConfigError, describeError } from '../check-api/errors.js';
import type { AnyCheck } from '../check-api/types.js';
import { interpolateEnv } from './interpolate.js';
import { configSchema, type JobConfig, type VigilConfig } from './schema.js';
import { validateSchedule as validateScheduleSpec } from '../../jobs/schedule.js';
import { formatPath, lineOf, type ConfigPath } from './yaml-positions.js';

export interface CheckLookup {
  get(id: string): AnyCheck | undefined;
  /** An area (`aws`) or a glob (`aws.*`); lets one job run a family of checks on one shared collection. */
  select?(selector: string): AnyCheck[];
}

export interface ConfigProblem {
  readonly path: string;
  readonly line: number | undefined;
  readonly message: string;
}

export interface ResolvedJob {
  /** Unique: the schedule id. A job naming an area expands into one job per check, named `<job>/<check id>`. */
  readonly name: string;
  /** The run target: the job name as written in config, shared by every check a family job expands into. */
  readonly target: string;
  readonly checkId: string;
  readonly enabled: boolean;
  readonly schedule?: { readonly cron?: string; readonly everyMs?: number; readonly timezone?: string; readonly jitterMs: number };
  readonly timeoutMs: number;
  readonly overlap: 'skip' | 'queue-one';
  readonly catchup: 'once' | 'skip';
  /** Validated against the check's schema, defaults applied. */
  readonly options: unknown;
}

export interface LoadedConfig {
  readonly file: string | undefined;
  readonly config: VigilConfig;
  readonly jobs: readonly ResolvedJob[];
}

/** Thrown with every problem found; `message` is the first one on one line, the way a user needs it at a terminal. */
export class ConfigValidationError extends InvalidConfigError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(ConfigValidationError.describe(file, problems[0]!) + (problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''));
  }

  static describe(file: string, problem: ConfigProblem): string {
    return `${file}${problem.line !== undefined ? `:${problem.line}` : ''}: ${problem.path}: ${problem.message}`;
  }
}

export function loadConfigFile(path: string, checks: CheckLookup, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidConfigError(`cannot read config ${path}: ${describeError(error)}`);
  }
  return parseConfig(text, path, checks, env);
}

/** Parses and validates config text. Nothing here touches the database or the network. */
export function parseConfig(text: string, fileLabel: string, checks: CheckLookup, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigValidationError(
      fileLabel,
      doc.errors.map((error) => ({
        path: 'YAML syntax',
        line: lineCounter.linePos(error.pos[0]).line,
        message: error.message.split('\n')[0]!,
      })),
    );
  }
  const envProblems = interpolateEnv(doc, lineCounter, env);
  if (envProblems.length > 0) throw new ConfigValidationError(fileLabel, envProblems);

  const raw = doc.toJS() ?? {};
  const problems: ConfigProblem[] = [];
  const at = (path: ConfigPath, message: string, unknownKey?: string): ConfigProblem => ({
    path: formatPath(unknownKey === undefined ? path : [...path, unknownKey]),
    line: lineOf(doc, lineCounter, path, unknownKey),
    message,
  });
  const addZodIssues = (issues: readonly z.core.$ZodIssue[], prefix: ConfigPath) => {
    for (const issue of issues) {
      const path = [...prefix, ...(issue.path as (string | number)[])];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) problems.push(at(path, `unknown key '${key}'`, key));
      } else {
        problems.push(at(path, issue.message));
      }
    }
  };

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    addZodIssues(parsed.error.issues, []);
    throw new ConfigValidationError(fileLabel, problems);
  }
  const config = parsed.data;
  const jobs: ResolvedJob[] = [];
  const names = new Set<string>();
  config.jobs.forEach((job, index) => {
    if (names.has(job.name)) problems.push(at(['jobs', index, 'name'], `duplicate job name '${job.name}'`));
    names.add(job.name);
    const exact = checks.get(job.check);
    const family = exact ? [exact] : (checks.select?.(job.check) ?? []);
    if (family.length === 0) {
      problems.push(at(['jobs', index, 'check'], `unknown check or area '${job.check}' (see \`audit checks\`)`));
      return;
    }
    const before = problems.length;
    const seen = new Set<string>();
    for (const check of family) {
      const options = check.options.safeParse(job.options);
      if (options.success) continue;
      // A family shares one options block: report each problem once, not once per check.
      const fresh = options.error.issues.filter((issue) => {
        const id = `${issue.path.join('.')}|${issue.message}`;
        return !seen.has(id) && (seen.add(id), true);
      });
      addZodIssues(fresh, ['jobs', index, 'options']);
    }
    if (problems.length > before) return;
    const scheduleProblem = job.schedule && job.schedule !== 'manual' ? validateSchedule(job.schedule) : undefined;
    if (scheduleProblem) {
      problems.push(at(['jobs', index, 'schedule', scheduleProblem.key], scheduleProblem.message));
      return;
    }
    // The runner validates options again at run time, so the job keeps the raw form: schemas that transform
    // their input (host specs, port sets) must not be fed their own output.
    for (const check of family) {
      const name = exact ? job.name : `${job.name}/${check.id}`;
      if (names.has(name) && !exact) problems.push(at(['jobs', index, 'name'], `job name '${name}' collides with another job`));
      names.add(name);
      jobs.push(resolveJob(job, config, job.options, name, check.id, check.defaultSchedule));
    }
  });
  if (problems.length > 0) throw new ConfigValidationError(fileLabel, problems);
  return { file: fileLabel, config, jobs };
}

/** The configuration used when no file is given: embedded SQLite, no scheduled jobs. */
export function defaultConfig(): LoadedConfig {
  return { file: undefined, config: configSchema.parse({}), jobs: [] };
}

function resolveJob(job: JobConfig, config: VigilConfig, options: unknown, name: string, checkId: string, checkDefault: AnyCheck['defaultSchedule']): ResolvedJob {
  const schedule = job.schedule === 'manual' ? undefined : job.schedule;
  return {
    name,
    target: job.name,
    checkId,
    enabled: job.enabled,
    ...(schedule
      ? {
          schedule: {
            ...(schedule.cron !== undefined ? { cron: schedule.cron } : {}),
            ...(schedule.every !== undefined ? { everyMs: schedule.every } : {}),
            ...(schedule.timezone !== undefined ? { timezone: schedule.timezone } : {}),
            jitterMs: schedule.jitter ?? 0,
          },
        }
      : job.schedule === undefined && checkDefault
        ? { schedule: { everyMs: checkDefault.everyMs, jitterMs: 0 } }
        : {}),
    timeoutMs: job.timeout ?? config.defaults.timeout,
    overlap: job.overlap ?? config.defaults.overlap,
    catchup: job.catchup ?? config.defaults.catchup,
    options,
  };
}

function validateSchedule(schedule: Exclude<NonNullable<JobConfig['schedule']>, 'manual'>): { key: string; message: string } | undefined {
  if (schedule.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: schedule.timezone });
    } catch {
      return { key: 'timezone', message: `unknown time zone '${schedule.timezone}' (use an IANA name such as Europe/Berlin)` };
    }
  }
  if (schedule.every !== undefined && schedule.every < 1000) {
    return { key: 'every', message: 'intervals shorter than 1s are not supported' };
  }
  // The scheduler's own validation catches what cron-parser forgives (a short pattern padded into "every minute").
  try {
    validateScheduleSpec({
      id: 'config',
      checkId: 'config',
      targetId: 'config',
      options: {},
      timeoutMs: 1,
      overlap: 'skip',
      catchup: 'once',
      ...(schedule.cron !== undefined ? { cron: schedule.cron } : {}),
      ...(schedule.every !== undefined ? { every: schedule.every } : {}),
      ...(schedule.timezone !== undefined ? { timezone: schedule.timezone } : {}),
    });
  } catch (error) {
    return { key: schedule.cron !== undefined ? 'cron' : 'every', message: describeError(error).replace(/^schedule 'config': /, '') };
  }
  return undefined;
}
