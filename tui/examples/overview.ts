import { runExample } from './run-example.js';

// node dist/tui/examples/overview.js [--bulk 100000] [--read-only]
await runExample({ screen: 'overview' });
