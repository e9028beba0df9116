import { SEVERITIES, type Severity } from '../../check-api/types.js';
import type { ResolvedJob } from '../../config/load.js';
import type { RunRequest } from '../../runs/run-result.js';
import type { Db } from '../../store/db.js';
import { listFindings } from '../../store/queries/findings.js';
import { ApiError } from '../http-util.js';
import { planRuns } from '../trigger.js';

export interface SlackCommandDeps {
  readonly db: Db;
  readonly jobs: readonly ResolvedJob[];
  readonly knownCheck: (id: string) => boolean;
  readonly enqueue: (request: RunRequest) => Promise<void>;
}

export interface SlackReply {
  readonly response_type: 'ephemeral' | 'in_channel';
  readonly text: string;
}

const USAGE = 'Usage: `/vigil status` · `/vigil findings [severity] [check or area.*]` · `/vigil run <check> [target]`';
const LISTED = 10;
const ACTIVE = ['new', 'open', 'reopened'] as const;

/** `/vigil <subcommand> ...`: the slash command's text, answered within Slack's 3 seconds (runs are only queued). */
export async function handleSlackCommand(form: URLSearchParams, deps: SlackCommandDeps): Promise<SlackReply> {
  const words = (form.get('text') ?? '').trim().split(/\s+/).filter(Boolean);
  const user = form.get('user_name') ?? form.get('user_id') ?? 'someone';
  const [sub, ...args] = words;
  switch (sub) {
    case 'status':
      return ephemeral(status(deps.db));
    case 'findings':
      return ephemeral(findings(deps.db, args));
    case 'run': {
      if (args.length === 0 || args.length > 2) return ephemeral(`Which check? ${USAGE}`);
      let requests: RunRequest[];
      try {
        requests = planRuns({ check: args[0]!, ...(args[1] !== undefined ? { target: args[1] } : {}) }, deps.jobs, deps.knownCheck);
      } catch (error) {
        if (error instanceof ApiError) return ephemeral(`:warning: ${error.message}`);
        throw error;
      }
      for (const request of requests) await deps.enqueue(request);
      return { response_type: 'in_channel', text: `:arrow_forward: ${user} queued ${args[0]} on ${requests.map((r) => r.targetId).join(', ')} (${requests.map((r) => r.runId).join(', ')})` };
    }
    default:
      return ephemeral(USAGE);
  }
}

function status(db: Db): string {
  const counts = db
    .prepare(`SELECT severity, count(*) AS n FROM findings WHERE status IN ('new', 'open', 'reopened') AND decision IS NULL GROUP BY severity`)
    .all() as { severity: Severity; n: number }[];
  const bySeverity = new Map(counts.map((c) => [c.severity, c.n]));
  const latest = db
    .prepare(
      `SELECT check_id, outcome, max(finished_at) AS at FROM runs WHERE outcome != 'skipped' GROUP BY check_id ORDER BY check_id LIMIT 25`,
    )
    .all() as { check_id: string; outcome: string; at: number }[];
  const lines = [
    `*Open findings* (undecided): ${[...SEVERITIES].reverse().map((s) => `${s} ${bySeverity.get(s) ?? 0}`).join(' · ')}`,
    latest.length ? '*Last run per check*' : '_No runs recorded yet._',
    ...latest.map((r) => `• \`${r.check_id}\` ${r.outcome} at ${new Date(r.at).toISOString()}`),
  ];
  return lines.join('\n');
}

function findings(db: Db, args: string[]): string {
  let minSeverity: Severity | undefined;
  let check: string | undefined;
  for (const arg of args) {
    if ((SEVERITIES as readonly string[]).includes(arg)) minSeverity = arg as Severity;
    else if (check === undefined) check = arg;
    else return `Too many filters. ${USAGE}`;
  }
  const rows = listFindings(db, { statuses: [...ACTIVE], ...(minSeverity ? { minSeverity } : {}), ...(check ? { check } : {}), limit: LISTED + 1 });
  if (rows.length === 0) return 'No active findings match.';
  const lines = rows.slice(0, LISTED).map((f) => `• *${f.severity}* \`${f.fingerprint.slice(0, 12)}\` ${f.checkId}: ${f.title}${f.decision ? ` _(${f.decision})_` : ''}`);
  if (rows.length > LISTED) lines.push(`…and more; narrow the filter or use \`audit findings\`.`);
  return lines.join('\n');
}

const ephemeral = (text: string): SlackReply => ({ response_type: 'ephemeral', text });
