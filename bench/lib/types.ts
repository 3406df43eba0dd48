// Shared shapes of the benchmark suite: what a scenario gets and what it returns.
import type { BenchDatabase } from './db.js';

export type Result = {
  scenario: string;
  engine: 'postgres' | 'pglite';
  /** The --scale the data was generated at (constituents). */
  scale: number;
  /** Operations measured (rows, requests, queries), in `unit`. */
  operations: number;
  unit: string;
  seconds: number;
  /** Operations per second. */
  throughput: number;
  /** Latency of one operation (or one batch, see `latencyOf`) in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
  latencyOf: string;
  /** Peak resident set (MiB) of the process doing the work (see `rssOf`). */
  peakRssMb: number;
  rssOf: string;
  /** The database's raw limit for the same primitive, measured in the same run. */
  raw: { what: string; operations: number; seconds: number; throughput: number; p50?: number; p95?: number; p99?: number } | null;
  /** throughput / raw.throughput, comparable units. */
  ratio: number | null;
  errors: number;
  notes: string;
  extra?: Record<string, unknown>;
};

export type DemoState = { officeId: string; adminUserId: string; constituents: number };

export type Context = {
  /** --scale, or the constituents of the demo office a reused database (--database) already holds. */
  scale: number;
  quick: boolean;
  /** Running on a kept database (--database): scenarios may keep what an earlier run built. */
  reused: boolean;
  bench: BenchDatabase;
  /** Load-test duration per measurement in seconds. */
  duration: number;
  /** Concurrent clients for load tests. */
  concurrency: number;
  log(line: string): void;
  /** The demo office, loaded by demo-load or (when it was skipped) on demand, or found in a reused database. */
  state: { demo?: DemoState };
  ensureDemo(): Promise<DemoState>;
};

export type Scenario = { name: string; description: string; run(ctx: Context): Promise<Result[]> };
