import { fingerprintOf } from '../../src/findings/fingerprint.js';
import { runExample } from './run-example.js';

// node dist/tui/examples/finding.js: the detail of the fixture's leaked-key finding (redacted evidence, history)
await runExample({ screen: 'finding', fingerprint: fingerprintOf('secrets.history', 'payments-repo:config/settings.py', 'a1b2c3') });
