// Latency statistics for the benchmark suite: exact percentiles over recorded samples.

/** Nearest-rank percentile (p in 0..100) of an ascending array; NaN when empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export type Latency = { p50: number; p95: number; p99: number; max: number; mean: number };

export function summarise(samples: ArrayLike<number>): Latency {
  const sorted = Float64Array.from(samples).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

/** Collects samples (milliseconds) in a growable typed array. */
export class Samples {
  private buf = new Float64Array(1024);
  length = 0;
  add(v: number): void {
    if (this.length === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = v;
  }
  addAll(other: Samples): void {
    for (let i = 0; i < other.length; i++) this.add(other.buf[i]!);
  }
  values(): Float64Array {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * Runs `op` from `concurrency` workers until `seconds` have passed; returns how many
 * completed, their latencies and the wall time. Errors are counted, not thrown.
 */
export async function closedLoop(concurrency: number, seconds: number, op: (i: number) => Promise<void>): Promise<{ ops: number; errors: number; seconds: number; latency: Samples; firstError: unknown }> {
  const latency = new Samples();
  let errors = 0;
  let firstError: unknown;
  let i = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await op(i++);
        latency.add(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ops: latency.length, errors, seconds: (performance.now() - started) / 1000, latency, firstError };
}
