// The emerging-issue model: the Poisson tail against values computed to 30 digits with
// mpmath (rounded to doubles) (gammainc(k, 0, lambda, regularized=True)), and the expectation's seasonality.
import { describe, expect, it } from 'vitest';
import {
  addDays, expectedInWindow, FLOOR_PER_DAY, isoWeekday, judge, logGamma, officeProfile, pairProfile, poissonUpperTail, spanOf, weeklyLevel, type DailyCounts,
} from './insights.alerts-model.js';

const REFERENCE: [number, number, number][] = [
  [6, 0.1, 1.274898692229792e-9],
  [5, 0.0714285714, 1.4599896672150784e-8],
  [6, 0.2, 7.490854474986894e-8],
  [22, 8.571428571428571, 8.926622160661589e-5],
  [12, 10, 0.3032238536968933],
  [100, 50, 3.200065324585125e-10],
  [1, 0.5, 0.3934693402873666],
  [30, 0.001, 3.766341020301877e-123],
  [3, 3, 0.5768099188731565],
];

describe('poissonUpperTail', () => {
  it.each(REFERENCE)('P(X >= %i | lambda %d) matches the reference to 1e-10 relative', (k, lambda, p) => {
    expect(Math.abs(poissonUpperTail(k, lambda) - p) / p).toBeLessThan(1e-10);
  });

  it('agrees with the direct sum 1 - sum of P(X = i), i < k, where that is accurate', () => {
    for (const lambda of [0.7, 2.5, 9, 40]) {
      for (const k of [1, 2, 5, 10, 30]) {
        let below = 0;
        let term = Math.exp(-lambda);
        for (let i = 0; i < k; i++) {
          below += term;
          term *= lambda / (i + 1);
        }
        const direct = 1 - below;
        if (direct > 1e-6) expect(Math.abs(poissonUpperTail(k, lambda) - direct) / direct).toBeLessThan(1e-9);
      }
    }
  });

  it('is 1 for k = 0, 0 for lambda = 0 and decreasing in k', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(4, 0)).toBe(0);
    let last = 1;
    for (let k = 1; k < 60; k++) {
      const p = poissonUpperTail(k, 4);
      expect(p).toBeLessThan(last);
      last = p;
    }
  });

  it('logGamma matches log((n-1)!)', () => {
    let f = 0;
    for (let n = 1; n < 30; n++) {
      expect(logGamma(n)).toBeCloseTo(f, 10);
      f += Math.log(n);
    }
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe('dates', () => {
  it('knows weekdays and adds days across months and years', () => {
    expect(isoWeekday('2026-12-07')).toBe(1);
    expect(isoWeekday('2026-12-13')).toBe(7);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('spans the window (today last) and the history weeks before it', () => {
    const s = spanOf('2026-12-09', 2, 12, 0.5);
    expect(s.windowDays).toEqual(['2026-12-08', '2026-12-09']);
    expect(s.historyFrom).toBe(addDays('2026-12-08', -84));
    expect(spanOf('2026-12-09', 1, 4, 0).todayElapsed).toBeCloseTo(1 / 24);
  });
});

/** A history of `perWeekday[i]` reports on each weekday i (0 Monday) for every history day. */
function steady(today: string, weeks: number, perWeekday: number[]): DailyCounts {
  const counts: DailyCounts = new Map();
  for (let d = 1; d <= weeks * 7 + 14; d++) {
    const day = addDays(today, -d);
    counts.set(day, perWeekday[isoWeekday(day) - 1]!);
  }
  return counts;
}

describe('expectedInWindow', () => {
  const weekdayHeavy = [12, 10, 4, 2, 2, 0, 0]; // 30 a week

  it('follows the day-of-week profile of a busy pair, so a normal Monday and Tuesday is not unusual', () => {
    // Tuesday 2026-12-08, at the end of the day: the window is Monday and Tuesday.
    const span = spanOf('2026-12-08', 2, 12, 1);
    const counts = steady('2026-12-07', 12, weekdayHeavy);
    const expected = expectedInWindow(span, counts, officeProfile(span, counts));
    expect(expected).toBeGreaterThan(20);
    expect(expected).toBeLessThan(23);
    expect(judge(22, expected, { minCount: 5, pValue: 0.001 }).isUnusual).toBe(false);
    // The same count against a flat week (30/7 a day) would have looked like an outbreak.
    expect(judge(22, (30 / 7) * 2, { minCount: 5, pValue: 0.001 }).isUnusual).toBe(true);
  });

  it('learns the level from recent weeks more than old ones (half-life)', () => {
    const span = spanOf('2026-12-08', 2, 12, 1);
    const counts: DailyCounts = new Map();
    // Ten reports a week in the oldest eight weeks, none in the last four.
    for (let d = 0; d < 56; d++) counts.set(addDays(span.historyFrom, d), d % 7 < 5 ? 2 : 0);
    const level = weeklyLevel(span, counts);
    expect(level).toBeGreaterThan(0);
    expect(level).toBeLessThan(10 * (8 / 12));
  });

  it('uses the office profile as a prior for a sparse pair', () => {
    const span = spanOf('2026-12-08', 2, 12, 1);
    const office = steady('2026-12-07', 12, [20, 20, 20, 20, 20, 0, 0]);
    const prior = officeProfile(span, office);
    const sparse: DailyCounts = new Map([[addDays(span.historyFrom, 5), 1]]); // one report, on a Saturday
    const profile = pairProfile(span, sparse, prior);
    expect(profile[5]).toBeLessThan(0.1); // Saturday stays quiet, as in the office
    expect(profile[0]).toBeGreaterThan(0.15);
    expect(profile.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('floors the expectation, so six reports where none were seen alert and four cannot (minCount)', () => {
    const span = spanOf('2026-12-08', 2, 12, 1);
    const expected = expectedInWindow(span, new Map(), officeProfile(span, new Map()));
    expect(expected).toBeCloseTo(FLOOR_PER_DAY * 2, 12);
    expect(judge(6, expected, { minCount: 5, pValue: 0.001 }).isUnusual).toBe(true);
    // Three or four are already improbable at the floor: minCount is what keeps them quiet.
    for (const n of [2, 3, 4]) expect(judge(n, expected, { minCount: 5, pValue: 0.001 }).isUnusual).toBe(false);
    expect(judge(3, expected, { minCount: 5, pValue: 0.001 }).pValue).toBeLessThan(0.001);
    expect(judge(3, expected, { minCount: 3, pValue: 0.001 }).isUnusual).toBe(true);
  });

  it('pro-rates today by the share of it gone', () => {
    const counts = steady('2026-12-07', 12, [7, 7, 7, 7, 7, 7, 7]);
    const full = spanOf('2026-12-08', 1, 12, 1);
    const half = spanOf('2026-12-08', 1, 12, 0.5);
    expect(expectedInWindow(half, counts, officeProfile(half, counts))).toBeCloseTo(expectedInWindow(full, counts, officeProfile(full, counts)) / 2, 9);
  });
});
