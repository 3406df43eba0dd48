// How the insights pages write their figures: counts, shares, durations and changes in the
// user's locale, and a change always in words with a sign (never colour alone).
import type { ResolvedRange } from '../../../contract/insights.js';

const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const twoDecimals = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const pct = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatCount = (n: number | null | undefined) => (n === null || n === undefined ? '—' : integer.format(n));
export const formatRate = (n: number | null | undefined) => (n === null || n === undefined ? '—' : twoDecimals.format(n));
export const formatShare = (n: number | null | undefined) => (n === null || n === undefined ? '—' : pct.format(n));
export const formatScore = (n: number | null | undefined) => (n === null || n === undefined ? '—' : `${oneDecimal.format(n)} / 5`);

/** A duration in minutes, humanely: "45 min", "3 h 20 min", "2.4 days". */
export function formatDuration(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${integer.format(Math.round(minutes))} min`;
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = Math.round(minutes - h * 60);
    if (m === 60) return `${integer.format(h + 1)} h`;
    return m ? `${integer.format(h)} h ${integer.format(m)} min` : `${integer.format(h)} h`;
  }
  const days = Math.round(minutes / (24 * 60) * 10) / 10;
  return `${oneDecimal.format(days)} ${days === 1 ? 'day' : 'days'}`;
}

/** An office-local date (yyyy-mm-dd) in the user's locale; the date is the same everywhere, so read it as UTC. */
export function formatLocalDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? date : dayFormat.format(d);
}

export const formatRange = (r: Pick<ResolvedRange, 'from' | 'to'>) => `${formatLocalDate(r.from)} to ${formatLocalDate(r.to)}`;

/** "HH:MM" of an instant, in the user's locale. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : timeFormat.format(d);
}

export type Change = { sign: '▲' | '▼' | '='; words: string; text: string };

/**
 * The change of a figure against the previous period, as a sign and words:
 * "▲ 12% vs previous 30 days". Shares change in percentage points; with nothing to compare
 * (no previous value) it says so instead of inventing a percentage.
 */
export function describeChange(current: number | null, previous: number | null, previousDays: number, kind: 'relative' | 'points' | 'difference' = 'relative'): Change | null {
  const period = `vs previous ${integer.format(previousDays)} ${previousDays === 1 ? 'day' : 'days'}`;
  if (current === null || previous === null) return null;
  if (kind === 'difference') {
    const diff = current - previous;
    if (Math.abs(diff) < 0.05) return { sign: '=', words: 'no change', text: `no change ${period}` };
    const amount = oneDecimal.format(Math.abs(diff));
    return { sign: diff > 0 ? '▲' : '▼', words: `${diff > 0 ? 'up' : 'down'} ${amount}`, text: `${diff > 0 ? 'up' : 'down'} ${amount} ${period}` };
  }
  if (kind === 'points') {
    const points = (current - previous) * 100;
    if (Math.abs(points) < 0.05) return { sign: '=', words: 'no change', text: `no change ${period}` };
    const up = points > 0;
    const amount = `${oneDecimal.format(Math.abs(points))} ${Math.abs(points) === 1 ? 'point' : 'points'}`;
    return { sign: up ? '▲' : '▼', words: `${up ? 'up' : 'down'} ${amount}`, text: `${up ? 'up' : 'down'} ${amount} ${period}` };
  }
  if (current === previous) return { sign: '=', words: 'no change', text: `no change ${period}` };
  if (previous === 0) return { sign: '▲', words: `up from none`, text: `up from none ${period}` };
  const ratio = (current - previous) / Math.abs(previous);
  const up = ratio > 0;
  const amount = pct.format(Math.abs(ratio));
  return { sign: up ? '▲' : '▼', words: `${up ? 'up' : 'down'} ${amount}`, text: `${up ? 'up' : 'down'} ${amount} ${period}` };
}

/** A change's words with its sign shown (the sign is hidden from screen readers, which read "up"/"down"). */
export function changeLabel(change: Change | null, previousDays: number): { sign: string; visible: string; spoken: string } {
  if (!change) return { sign: '', visible: `no figure for the previous ${integer.format(previousDays)} days`, spoken: `no figure for the previous ${integer.format(previousDays)} days` };
  const amount = change.words.replace(/^(up|down) /, '');
  const period = change.text.slice(change.words.length + 1);
  const visible = change.sign === '=' ? change.text : `${amount} ${period}`;
  return { sign: change.sign === '=' ? '' : change.sign, visible, spoken: change.text };
}
