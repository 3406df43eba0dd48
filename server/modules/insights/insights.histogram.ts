// Duration histograms: how the summaries keep a distribution of minutes small enough to merge
// quickly for a year, with a bounded error. Bins are exact minutes below 64, then logarithmic
// bins of ratio 1.02: a bin is read back as its geometric midpoint, at most 1% from any value
// in it. Percentiles follow PostgreSQL's percentile_cont (linear interpolation between the two
// nearest ranks), the same rule as the exact path, so the two paths agree within that 1%.

export const EXACT_BELOW = 64;
const RATIO = 1.02;
const LOG_RATIO = Math.log(RATIO);

/** The bin of a duration in whole minutes (negative durations count as 0). */
export function binOf(minutes: number): number {
  const m = Math.max(0, Math.round(minutes));
  if (m < EXACT_BELOW) return m;
  // The small epsilon keeps exact powers of the ratio in their own bin despite rounding.
  return EXACT_BELOW + Math.floor(Math.log(m / EXACT_BELOW) / LOG_RATIO + 1e-9);
}

/** The value a bin stands for: itself when exact, else the geometric midpoint of its bounds. */
export function binValue(bin: number): number {
  if (bin < EXACT_BELOW) return bin;
  return EXACT_BELOW * RATIO ** (bin - EXACT_BELOW) * Math.sqrt(RATIO);
}

/** percentile_cont over a histogram given as bin → count. */
export function histogramPercentile(bins: ReadonlyMap<number, number>, p: number): number | null {
  const sorted = [...bins.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = sorted.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const rank = p * (total - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const valueAt = (index: number) => {
    let seen = 0;
    for (const [bin, n] of sorted) {
      seen += n;
      if (index < seen) return binValue(bin);
    }
    return binValue(sorted[sorted.length - 1]![0]);
  };
  const a = valueAt(lo);
  return lo === hi ? a : a + (rank - lo) * (valueAt(hi) - a);
}
