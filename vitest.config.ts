import os from 'node:os';
import { defineConfig } from 'vitest/config';

// Test files run side by side, one per core (vitest's own default leaves a core idle, which on
// a two-core machine halves the speed); TEST_WORKERS overrides it. On PostgreSQL each worker has
// a database of its own (test/global-setup.ts).
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
  },
});
