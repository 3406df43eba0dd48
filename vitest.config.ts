import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files run side by side, one per core (vitest's own default leaves a core idle, which on
// a two-core machine halves the speed); TEST_WORKERS overrides it. On PostgreSQL each worker has
// a database of its own (test/global-setup.ts). The files a worker runs share its loaded modules
// (isolate: false; a third of the suite's time was loading them again for every file): state a
// module keeps (caches, registries) is keyed by office or holds the same for every test.
const workers = Number(process.env.TEST_WORKERS) || Math.max(2, os.availableParallelism());

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'contract/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: workers,
    minWorkers: 1,
    isolate: false,
  },
});
