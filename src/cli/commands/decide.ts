import { userInfo } from 'node:os';
import { InvalidConfigError } from '../../check-api/errors.js';
import { setDecision } from '../../store/decisions.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

const DECISION_WORDS = { 'false-positive': 'false_positive', accept: 'accepted', mute: 'muted', clear: 'cleared' } as const;

export function decideCommand(fingerprint: string, word: string, options: GlobalOptions & { reason?: string; until?: string }): number {
  const decision = DECISION_WORDS[word as keyof typeof DECISION_WORDS];
  if (!decision) throw new InvalidConfigError(`decision must be one of ${Object.keys(DECISION_WORDS).join(', ')}`);
  if (!options.reason?.trim()) throw new InvalidConfigError('--reason is required: every decision records why');
  let until: number | undefined;
  if (decision === 'accepted') {
    until = options.until ? Date.parse(options.until) : Number.NaN;
    if (Number.isNaN(until)) throw new InvalidConfigError('accept needs --until <date>, e.g. --until 2027-03-31');
  }
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const match = db.prepare(`SELECT fingerprint FROM findings WHERE fingerprint LIKE ? || '%' LIMIT 2`).all(fingerprint) as { fingerprint: string }[];
    if (match.length !== 1) throw new InvalidConfigError(match.length === 0 ? `no finding with fingerprint ${fingerprint}` : `fingerprint prefix ${fingerprint} is ambiguous`);
    setDecision(db, { fingerprint: match[0]!.fingerprint, decision, reason: options.reason, actor: userInfo().username, ...(until !== undefined ? { until } : {}) });
    process.stdout.write(`${match[0]!.fingerprint.slice(0, 12)}: ${decision}\n`);
    return 0;
  } finally {
    db.close();
  }
}
