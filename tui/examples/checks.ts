import { runExample } from './run-example.js';

// node dist/tui/examples/checks.js [--bulk 100000] [--read-only]
await runExample({ screen: 'checks' });
