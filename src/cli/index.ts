import { Command, CommanderError, Option } from 'commander';
import { writeFileSync } from 'node:fs';
import { VigilError, describeError } from '../check-api/errors.js';
import { SEVERITIES } from '../check-api/types.js';
import { OUTPUT_FORMATS } from '../output/index.js';
// Commands are imported when they run: most of them need the check registry (and so every check module), which
// `audit --help` and `audit --version` should not load.
import { VIGIL_VERSION } from './version.js';
import { translate } from '../store/db.js';

/** Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage, config or runtime error. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

function buildProgram(): Command {
  const program = new Command('audit')
    .description('Vigil: periodic security posture auditor')
    .version(VIGIL_VERSION)
    .option('-c, --config <file>', 'config file (default: $VIGIL_CONFIG, else built-in defaults)')
    .option('--db <file>', 'ledger SQLite file (default: store.path from config, or $VIGIL_DB)')
    .addOption(new Option('--log-level <level>', 'log level for structured JSON logs on stderr').choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']))
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const globals = (command: Command) => command.optsWithGlobals();

  program
    .command('run')
    .description('run a check (or every check of an area) now and print its findings')
    .argument('<check>', 'check id (ports.unexpected-open), area (ports) or glob (aws.*)')
    .option('-t, --target <target...>', 'ad-hoc target instead of the configured jobs (e.g. a host, CIDR or host list)')
    .option('--set <key=value...>', 'override a check option, e.g. --set ports=1-65535')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('table'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an active finding is at or above this severity').choices([...SEVERITIES, 'none']).default('info'))
    .option('--no-store', 'do not record the run in the ledger')
    .option('--timeout <duration>', 'run timeout, e.g. 90s, 15m')
    .option('--inventory <file>', 'aws.*: re-evaluate a saved inventory instead of calling AWS')
    .option('--save-inventory <file>', 'aws.*: save what the collectors read, for --inventory later')
    .action(async (check: string, _opts, command: Command) => {
      const { runCommand } = await import('./commands/run.js');
      process.exitCode = await runCommand(check, globals(command) as never);
    });

  program
    .command('checks')
    .description('list every check with its area, severity and references')
    .addOption(new Option('-f, --format <format>').choices(['table', 'json', 'markdown']).default('table'))
    .option('--write-readme <file>', 'regenerate the check table between the markers in this README')
    .option('--cis-aws', 'list every CIS AWS Foundations control (v3.0.0, v4.0.1, v5.0.0 ids), automated or manual per version and source, and its check')
    .option('--results', 'with --cis-aws: the latest result of each control from the ledger (pass/fail/unknown/manual)')
    .action(async (_opts, command: Command) => {
      const { checksCommand } = await import('./commands/checks.js');
      process.exitCode = checksCommand(globals(command) as never);
    });

  const findingOptions = (command: Command, defaultFormat: string) =>
    command
      .option('--status <list>', "comma-separated statuses (new,open,reopened,resolved) or 'all'")
      .addOption(new Option('--severity <severity>', 'minimum severity').choices(SEVERITIES))
      .option('--check <id>', 'check id, or a prefix glob such as aws.*')
      .option('--since <when>', 'last seen within a duration (24h, 7d) or since a date')
      .option('--limit <n>', 'at most this many findings')
      .addOption(new Option('-f, --format <format>').choices(OUTPUT_FORMATS).default(defaultFormat))
      .option('-o, --output <file>', 'write to a file instead of stdout');

  findingOptions(program.command('findings').description('list findings from the ledger (active ones by default)'), 'table').action(async (_opts, command: Command) => {
    const opts = globals(command) as never as { output?: string };
    const { findingsCommand } = await import('./commands/findings.js');
    emit(findingsCommand(globals(command) as never, { statuses: ['new', 'open', 'reopened'] }), opts.output);
  });

  findingOptions(program.command('export').description('export findings as SARIF, CSV or JSON (all statuses by default)'), 'sarif').action(async (_opts, command: Command) => {
    const opts = globals(command) as never as { output?: string };
    const { findingsCommand } = await import('./commands/findings.js');
    emit(findingsCommand(globals(command) as never, { statuses: [] }), opts.output);
  });

  program
    .command('runs')
    .description('list recorded runs with their outcome')
    .option('--check <id>', 'only runs of this check')
    .option('--outcome <outcome>', 'only runs with this outcome (ok, partial, failed, aborted, timeout, skipped)')
    .option('--limit <n>', 'at most this many runs', '50')
    .addOption(new Option('-f, --format <format>').choices(['table', 'json']).default('table'))
    .action(async (_opts, command: Command) => {
      const { runsCommand } = await import('./commands/runs.js');
      process.exitCode = runsCommand(globals(command) as never);
    });

  program
    .command('decide')
    .description('record a decision on a finding: false-positive, accept (with --until), mute, or clear')
    .argument('<fingerprint>', 'fingerprint or a unique prefix of it')
    .argument('<decision>', 'false-positive | accept | mute | clear')
    .requiredOption('--reason <text>', 'why (recorded with your user name)')
    .option('--until <date>', 'for accept: when the acceptance lapses')
    .action(async (fingerprint: string, decision: string, _opts, command: Command) => {
      const { decideCommand } = await import('./commands/decide.js');
      process.exitCode = decideCommand(fingerprint, decision, globals(command) as never);
    });

  program
    .command('daemon')
    .description('run scheduled jobs until SIGTERM/SIGINT (embedded SQLite and in-process scheduler by default)')
    .action(async (_opts, command: Command) => {
      const { daemonCommand } = await import('./commands/daemon.js');
      process.exitCode = await daemonCommand(globals(command) as never);
    });

  program
    .command('worker')
    .description('take runs from the Redis queue (config queue: redis://...) and execute them; the daemon records results')
    .option('--concurrency <n>', 'runs at once in this process (default: queue.concurrency)')
    .action(async (_opts, command: Command) => {
      const { workerCommand } = await import('./commands/worker.js');
      process.exitCode = await workerCommand(globals(command) as never);
    });

  program
    .command('tui')
    .description('browse posture in the terminal: overview, checks, findings, runs; triage with a recorded reason')
    .option('--read-only', 'browse only: every action (decisions, run now) is disabled')
    .action(async (_opts, command: Command) => {
      // Loaded on demand: Ink and React are for this command only.
      const { tuiCommand } = await import('./commands/tui.js');
      process.exitCode = await tuiCommand(globals(command) as never);
    });

  const killswitch = program.command('killswitch').description('kill-switch helpers (killswitch.* checks)');
  killswitch
    .command('baseline')
    .description("capture a job's current cloud state as a baseline; print it, or approve it into the ledger (with history)")
    .argument('<job>', 'job name from the config (a family job covers each kill-switch check it expands into)')
    .option('-o, --out <file>', 'write the YAML here instead of stdout')
    .option('--approve', 'store the captured (or --from) baseline in the ledger as the next approved version')
    .option('--from <file>', 'approve this reviewed YAML/JSON file (`baseline:` block) instead of capturing')
    .option('--by <name>', 'who approves (default: the OS user)')
    .option('--reason <text>', 'why, kept with the version')
    .option('--history', 'list the approved versions, newest first; nothing is captured')
    .option('--revert <version>', 'approve a copy of an earlier version as the next one')
    .action(async (job: string, _opts, command: Command) => {
      const { killswitchBaselineCommand } = await import('./commands/killswitch-baseline.js');
      process.exitCode = await killswitchBaselineCommand(job, globals(command) as never);
    });

  program
    .command('k8s')
    .description('Kubernetes CIS helpers (k8s.* checks)')
    .command('score')
    .description("collect a k8s job's cluster once and print every control's score (failed/total), N/A reasons and manual controls")
    .argument('<job>', 'job name from the config (a `check: k8s` job)')
    .option('--format <format>', 'table or json', 'table')
    .action(async (job: string, _opts, command: Command) => {
      const { k8sScoreCommand } = await import('./commands/k8s-score.js');
      process.exitCode = await k8sScoreCommand(job, globals(command) as never);
    });

  const config = program.command('config').description('configuration helpers');
  config
    .command('validate')
    .description('validate a config file and print every problem with its key and line')
    .argument('[file]', 'config file (default: --config or $VIGIL_CONFIG)')
    .action(async (file: string | undefined, _opts, command: Command) => {
      const { configValidateCommand } = await import('./commands/config-validate.js');
      process.exitCode = configValidateCommand(file, globals(command) as never);
    });

  const artifacts = program.command('artifacts').description('released artifacts and the OSV advisory mirror (deps.* checks)');
  artifacts
    .command('add')
    .description('register a released artifact (its lockfiles or SBOM) from CI; matched against known advisories at once')
    .argument('<file...>', 'lockfiles (package-lock.json, poetry.lock, go.mod, ...) or a CycloneDX/SPDX JSON SBOM')
    .option('--name <name>', 'artifact name (default: the component an SBOM describes)')
    // `--version <v>` is accepted too (CI scripts write it that way): main() renames it to --release for this command,
    // because commander gives --version to the root program wherever it appears.
    .option('--release <version>', 'released version, also accepted as --version (default: the version an SBOM describes)')
    .option('--source <source>', 'inventory source the artifact belongs to', 'ci')
    .action(async (files: string[], _opts, command: Command) => {
      const { artifactsAddCommand } = await import('./commands/artifacts.js');
      process.exitCode = await artifactsAddCommand(files, globals(command) as never);
    });
  artifacts
    .command('import-osv')
    .description('import OSV advisories from a directory of JSON or an all.zip export, and re-match what they name')
    .argument('<path>', 'directory of OSV JSON records, or a .zip export')
    .option('--feed <name>', 'feed name the records are kept under', 'osv-import')
    .action(async (path: string, _opts, command: Command) => {
      const { artifactsImportOsvCommand } = await import('./commands/artifacts.js');
      process.exitCode = await artifactsImportOsvCommand(path, globals(command) as never);
    });
  artifacts
    .command('vex')
    .description("export CycloneDX VEX for a deps job's current matches (not_affected where its vex statements say so)")
    .requiredOption('--job <name>', 'the deps.vulnerable-components job in the config')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (_opts, command: Command) => {
      const { artifactsVexCommand } = await import('./commands/artifacts.js');
      process.exitCode = await artifactsVexCommand(globals(command) as never);
    });
  artifacts
    .command('list')
    .description('list registered artifact versions with component and advisory counts')
    .addOption(new Option('-f, --format <format>').choices(['table', 'json']).default('table'))
    .action(async (_opts, command: Command) => {
      const { artifactsListCommand } = await import('./commands/artifacts.js');
      process.exitCode = artifactsListCommand(globals(command) as never);
    });

  // Alerts and the outbox (src/notify): heavy sink modules load only when these commands run.
  const alerts = program.command('alerts').description('alert sinks');
  alerts
    .command('test')
    .description('send a test message to one configured sink (or jira) and report whether it was accepted')
    .argument('<sink>', 'sink name from the config, or jira')
    .action(async (sink: string, _opts, command: Command) => {
      const { alertsTestCommand } = await import('./commands/alerts.js');
      process.exitCode = await alertsTestCommand(sink, globals(command) as never);
    });
  const outbox = program.command('outbox').description('alert and ticket deliveries waiting, dead or delivered');
  outbox
    .command('list')
    .description('list outbox rows with their per-sink delivery state (undelivered by default)')
    .option('--status <status>', 'undelivered | pending | dead | delivered | all', 'undelivered')
    .option('--limit <n>', 'at most this many rows', '50')
    .addOption(new Option('-f, --format <format>').choices(['table', 'json']).default('table'))
    .action(async (_opts, command: Command) => {
      const { outboxListCommand } = await import('./commands/outbox.js');
      process.exitCode = outboxListCommand(globals(command) as never);
    });
  outbox
    .command('retry')
    .description('queue dead (or waiting) deliveries of these outbox rows again, now, with a fresh attempt budget')
    .argument('[ids...]', 'outbox row ids')
    .option('--all-dead', 'every dead row')
    .action(async (ids: string[], _opts, command: Command) => {
      const { outboxRetryCommand } = await import('./commands/outbox.js');
      process.exitCode = outboxRetryCommand(ids, globals(command) as never);
    });
  outbox
    .command('drop')
    .description('give up delivering these outbox rows to any sink (recorded with your user name)')
    .argument('<ids...>', 'outbox row ids')
    .action(async (ids: string[], _opts, command: Command) => {
      const { outboxDropCommand } = await import('./commands/outbox.js');
      process.exitCode = outboxDropCommand(ids, globals(command) as never);
    });

  const db = program.command('db').description('ledger maintenance');
  db.command('prune')
    .description('delete runs, resolved findings and delivered alerts older than N days')
    .requiredOption('--keep-days <n>', 'days of history to keep')
    .action(async (_opts, command: Command) => {
      const { dbPruneCommand } = await import('./commands/db-prune.js');
      process.exitCode = dbPruneCommand(globals(command) as never);
    });

  return program;
}

function emit(text: string, output?: string): void {
  if (output) writeFileSync(output, text);
  else process.stdout.write(text);
}

/** `audit artifacts add ... --version 1.4.2` means the artifact's version, not Vigil's: see the `add` command. */
export function artifactVersionAlias(argv: readonly string[]): string[] {
  const at = argv.findIndex((arg, i) => arg === 'artifacts' && argv[i + 1] === 'add');
  if (at < 0) return [...argv];
  return argv.map((arg, i) => (i < at ? arg : arg === '--version' ? '--release' : arg.startsWith('--version=') ? `--release=${arg.slice('--version='.length)}` : arg));
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(artifactVersionAlias(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.clean;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.clean : EXIT.error;
    }
    const code = (error as { code?: unknown }).code;
    const shown = typeof code === 'string' && code.startsWith('SQLITE_') ? translate(error, 'ledger') : error;
    process.stderr.write(`audit: error: ${describeError(shown)}\n`);
    if (!(error instanceof VigilError) && process.env.VIGIL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    return EXIT.error;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
