import { parentPort, workerData } from 'node:worker_threads';
import { SECRET_RULES } from '../rules/index.js';
import { createSecretScanner } from './secret-scanner.js';
import type { ScanJob, ScanReply, ScanWorkerSettings } from './scan-pool.js';

// Rules are code (patterns, validators), so each worker builds its own scanner from the same settings.
const settings = workerData as ScanWorkerSettings;
const scanner = createSecretScanner(
  SECRET_RULES.filter((rule) => !settings.disabledRules.includes(rule.id)),
  { stopwords: settings.stopwords },
);

parentPort!.on('message', (job: ScanJob) => {
  const matches: ScanReply['matches'][number][] = [];
  const all = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  let start = 0;
  job.ends.forEach((end, index) => {
    const found = scanner.scanBytes(all.subarray(start, end));
    if (found.length > 0) matches.push({ index, matches: found });
    start = end;
  });
  parentPort!.postMessage({ batch: job.batch, matches } satisfies ScanReply);
});
