import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Socket sweeps and child-process CLI tests compete for 2 cores; a few files at a time keeps timings honest.
    maxWorkers: 2,
    // Generous because CI machines are shared: a test that spawns the CLI a dozen times can take 20 s at load 15.
    // Hangs still fail; tests that measure speed assert their own bounds.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
