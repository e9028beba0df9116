import Table from 'cli-table3';
import { userInfo } from 'node:os';
import { InvalidConfigError } from '../../check-api/errors.js';
import { dropOutbox, listOutbox, retryOutbox, type OutboxFilter } from '../../notify/outbox-admin.js';
import { loadCliConfig, openCliStore, type GlobalOptions } from '../context.js';

const FILTERS: readonly OutboxFilter[] = ['undelivered', 'pending', 'dead', 'delivered', 'all'];

function parseIds(ids: readonly string[]): number[] {
  return ids.map((text) => {
    const id = Number(text);
    if (!Number.isInteger(id) || id <= 0) throw new InvalidConfigError(`outbox ids are positive whole numbers, got '${text}'`);
    return id;
  });
}

export function outboxListCommand(options: GlobalOptions & { status: string; limit: string; format: 'table' | 'json' }): number {
  if (!(FILTERS as readonly string[]).includes(options.status)) throw new InvalidConfigError(`--status must be one of ${FILTERS.join(', ')}`);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit <= 0) throw new InvalidConfigError('--limit must be a positive integer');
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const rows = listOutbox(db, options.status as OutboxFilter, limit);
    if (options.format === 'json') {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      process.stdout.write(`No ${options.status === 'all' ? '' : `${options.status} `}outbox rows.\n`);
      return 0;
    }
    const table = new Table({ head: ['ID', 'CREATED', 'TOPIC', 'STATUS', 'SINKS', 'LAST ERROR'], style: { head: [], border: [] } });
    for (const row of rows) {
      const sinks = row.deliveries.map((d) => `${d.sink}:${d.status}${d.attempts > 0 ? `×${d.attempts}` : ''}`).join(' ');
      const error = row.lastError ?? '';
      table.push([row.id, new Date(row.createdAt).toISOString().replace('.000Z', 'Z'), row.topic, row.status, sinks || '-', error.length > 70 ? `${error.slice(0, 69)}…` : error]);
    }
    process.stdout.write(`${table.toString()}\n`);
    return 0;
  } finally {
    db.close();
  }
}

export function outboxRetryCommand(ids: readonly string[], options: GlobalOptions & { allDead?: boolean }): number {
  if (ids.length === 0 && !options.allDead) throw new InvalidConfigError('give outbox ids to retry, or --all-dead');
  const parsed = parseIds(ids);
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const changed = retryOutbox(db, options.allDead ? 'all-dead' : parsed);
    process.stdout.write(`queued ${changed} outbox row(s) for delivery again\n`);
    return changed === 0 && !options.allDead ? 2 : 0;
  } finally {
    db.close();
  }
}

export function outboxDropCommand(ids: readonly string[], options: GlobalOptions): number {
  if (ids.length === 0) throw new InvalidConfigError('give the outbox ids to drop');
  const parsed = parseIds(ids);
  const loaded = loadCliConfig(options);
  const db = openCliStore(options, loaded);
  try {
    const changed = dropOutbox(db, parsed, userInfo().username);
    process.stdout.write(`dropped ${changed} outbox row(s)\n`);
    return changed === parsed.length ? 0 : 2;
  } finally {
    db.close();
  }
}
