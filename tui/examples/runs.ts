import { runExample } from './run-example.js';

// node dist/tui/examples/runs.js [--bulk 100000] [--read-only]
await runExample({ screen: 'runs' });
