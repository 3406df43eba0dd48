// The emerging-issue model, pure: what a category and ward is expected to see in the recent
// window given its own history (a weekly level that follows recent weeks, times a
// day-of-week profile), and how surprising the observed count is (the Poisson upper tail).
// No database and no clock here; insights.alerts.ts feeds it the counts.
import { addDays } from './insights.days.js';

/** Weeks after which a week's count weighs half as much in the level. */
export const LEVEL_HALF_LIFE_WEEKS = 4;
/** Pseudo-cases of the office-wide day-of-week profile mixed into a pair's own (the prior). */
export const PROFILE_PRIOR_CASES = 20;
/** The least a pair is ever expected to see: one report in four weeks (per day). */
export const FLOOR_PER_DAY = 1 / 28;

// ---------------------------------------------------------------- the Poisson tail

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7: about 15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * ln of the regularised lower incomplete gamma P(a, x), a > 0, x >= 0. The series is used
 * where it converges quickly (x < a + 1), and there it is summed in log space so tiny
 * probabilities (1e-100 and below) keep their digits; otherwise P = 1 - Q with Q from the
 * continued fraction (Numerical Recipes' gser/gcf), where P is not small.
 */
export function logRegularisedGammaP(a: number, x: number): number {
  if (x <= 0) return -Infinity;
  const prefix = a * Math.log(x) - x - logGamma(a);
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    return prefix + Math.log(sum);
  }
  // Lentz's continued fraction for Q(a, x).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const q = Math.exp(prefix) * h;
  return Math.log1p(-Math.min(q, 1));
}

/** P(X >= k) for X ~ Poisson(lambda): equals P(k, lambda), the regularised lower gamma. */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  return Math.exp(logRegularisedGammaP(k, lambda));
}

// ---------------------------------------------------------------- the expectation

/** ISO weekday of a YYYY-MM-DD date: 1 Monday .. 7 Sunday. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

export { addDays };

/** The window and history of one run, as office-local dates. */
export type Span = {
  /** Window days, oldest first; the last is today. */
  windowDays: string[];
  /** Share of today already gone (at least an hour's worth): today's expectation is pro-rated by it. */
  todayElapsed: number;
  /** First day of the history (historyWeeks * 7 days end the day before the window). */
  historyFrom: string;
  historyWeeks: number;
};

export function spanOf(today: string, windowDays: number, historyWeeks: number, todayElapsed: number): Span {
  const days = Array.from({ length: windowDays }, (_, i) => addDays(today, i - windowDays + 1));
  return { windowDays: days, todayElapsed: Math.min(1, Math.max(1 / 24, todayElapsed)), historyFrom: addDays(days[0]!, -historyWeeks * 7), historyWeeks };
}

/** Counts per history day of one pair (or the whole office), by date. */
export type DailyCounts = Map<string, number>;

/** Shares of a week's reports falling on each weekday, index 0 = Monday; they sum to 1. */
export type WeekdayProfile = number[];

function weekdayTotals(span: Span, counts: DailyCounts): number[] {
  const totals = [0, 0, 0, 0, 0, 0, 0];
  for (const [day, n] of counts) {
    if (day >= span.historyFrom && day < span.windowDays[0]!) totals[isoWeekday(day) - 1]! += n;
  }
  return totals;
}

/** The office's day-of-week profile (every pair's history), with one pseudo-case per day so an empty office is flat. */
export function officeProfile(span: Span, counts: DailyCounts): WeekdayProfile {
  const totals = weekdayTotals(span, counts);
  const sum = totals.reduce((a, b) => a + b, 0);
  return totals.map((n) => (n + 1) / (sum + 7));
}

/** A pair's own profile shrunk towards the office's: a sparse pair follows the office, a busy one itself. */
export function pairProfile(span: Span, counts: DailyCounts, prior: WeekdayProfile): WeekdayProfile {
  const totals = weekdayTotals(span, counts);
  const sum = totals.reduce((a, b) => a + b, 0);
  return totals.map((n, i) => (n + PROFILE_PRIOR_CASES * prior[i]!) / (sum + PROFILE_PRIOR_CASES));
}

/**
 * Reports per week now: an exponentially weighted mean of the history's weekly counts, the
 * week just before the window weighing 1, the one before 2^(-1/half-life), and so on, so a
 * pair that has grown or shrunk over the history is judged by its recent weeks.
 */
export function weeklyLevel(span: Span, counts: DailyCounts): number {
  const weeks = new Array<number>(span.historyWeeks).fill(0);
  for (const [day, n] of counts) {
    if (day < span.historyFrom || day >= span.windowDays[0]!) continue;
    const offset = Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${span.historyFrom}T00:00:00Z`)) / 86_400_000);
    weeks[Math.floor(offset / 7)]! += n;
  }
  let weighted = 0;
  let weights = 0;
  weeks.forEach((n, i) => {
    const w = 2 ** (-(span.historyWeeks - 1 - i) / LEVEL_HALF_LIFE_WEEKS);
    weighted += w * n;
    weights += w;
  });
  return weighted / weights;
}

/** Days the window covers, today pro-rated. */
const windowWeights = (span: Span) => span.windowDays.map((_, i) => (i === span.windowDays.length - 1 ? span.todayElapsed : 1));

/** Expected reports in the window: the weekly level times each window day's share of a week, floored. */
export function expectedInWindow(span: Span, counts: DailyCounts, prior: WeekdayProfile): number {
  const level = weeklyLevel(span, counts);
  const profile = pairProfile(span, counts, prior);
  const weights = windowWeights(span);
  const modelled = span.windowDays.reduce((sum, day, i) => sum + level * profile[isoWeekday(day) - 1]! * weights[i]!, 0);
  const floor = FLOOR_PER_DAY * weights.reduce((a, b) => a + b, 0);
  return Math.max(modelled, floor);
}

export type Verdict = { observed: number; expected: number; pValue: number; isUnusual: boolean };

/** Whether the window's count is unusual: at least minCount and an upper tail below the threshold. */
export function judge(observed: number, expected: number, settings: { minCount: number; pValue: number }): Verdict {
  const pValue = poissonUpperTail(observed, expected);
  return { observed, expected, pValue, isUnusual: observed >= settings.minCount && pValue < settings.pValue };
}
