import { parentPort, workerData } from 'node:worker_threads';
import { SECRET_RULES } from '../rules/index.js';
import { scanObjects } from './object-scan.js';
import type { ScanWorkerInput } from './scan-pool.js';
import { createSecretScanner } from './secret-scanner.js';

// Rules are code (patterns, validators), so each worker builds its own scanner from the same settings, then reads its
// slice of the object list through its own `git cat-file` and sends back only redacted results.
const input = workerData as ScanWorkerInput;
const scanner = createSecretScanner(
  SECRET_RULES.filter((rule) => !input.settings.disabledRules.includes(rule.id)),
  { stopwords: input.settings.stopwords },
);
parentPort!.postMessage(await scanObjects(input.gitDir, input.oids, scanner));
