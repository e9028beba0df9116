import { runExample } from './run-example.js';

// node dist/tui/examples/findings.js [--bulk 100000] [--read-only]; try / then sev:high check:ports
await runExample({ screen: 'findings', query: process.argv[2]?.startsWith('-') === false ? process.argv[2] : 'status:active' });
