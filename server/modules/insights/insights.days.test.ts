// The cover of a range by summary rows: every date in exactly one part, parts on whole years,
// quarters, months and ISO weeks, and few rows for the usual ranges.
import { describe, expect, it } from 'vitest';
import { coverRange, dayOf, isoOf, type CoverPart } from './insights.days.js';

/** The first day after the period of a grain that starts on `start`. */
function periodEnd(start: string, grain: CoverPart['grain']): string {
  if (grain === 'd' || grain === 'w') return isoOf(dayOf(start) + (grain === 'd' ? 1 : 7));
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + ({ m: 1, q: 3, y: 12 } as const)[grain]);
  return d.toISOString().slice(0, 10);
}

/** Every date a cover stands for, in order. */
function datesOf(cover: CoverPart[]): string[] {
  const out: string[] = [];
  for (const p of cover) {
    // Periods start at p.from, each where the last ended, up to the one starting at p.to.
    for (let start = p.from; start <= p.to; start = periodEnd(start, p.grain)) {
      for (let d = dayOf(start); d < dayOf(periodEnd(start, p.grain)); d++) out.push(isoOf(d));
    }
  }
  return out.sort();
}

describe('coverRange', () => {
  it('covers a 12-month range with quarters, months, weeks and edge days, and whole years when the range holds them', () => {
    expect(coverRange({ from: '2025-12-08', to: '2026-12-07' })).toEqual([
      { grain: 'q', from: '2026-01-01', to: '2026-07-01' },
      { grain: 'w', from: '2025-12-08', to: '2025-12-22' }, { grain: 'd', from: '2025-12-29', to: '2025-12-31' },
      { grain: 'm', from: '2026-10-01', to: '2026-11-01' }, { grain: 'd', from: '2026-12-01', to: '2026-12-07' },
    ]);
    expect(coverRange({ from: '2024-11-15', to: '2026-02-03' })).toEqual([
      { grain: 'y', from: '2025-01-01', to: '2025-01-01' },
      { grain: 'm', from: '2024-12-01', to: '2024-12-01' },
      { grain: 'w', from: '2024-11-18', to: '2024-11-18' }, { grain: 'd', from: '2024-11-15', to: '2024-11-17' }, { grain: 'd', from: '2024-11-25', to: '2024-11-30' },
      { grain: 'm', from: '2026-01-01', to: '2026-01-01' }, { grain: 'd', from: '2026-02-01', to: '2026-02-03' },
    ]);
    expect(coverRange({ from: '2024-01-01', to: '2025-12-31' })).toEqual([{ grain: 'y', from: '2024-01-01', to: '2025-01-01' }]);
    expect(coverRange({ from: '2026-03-29', to: '2026-03-29' })).toEqual([{ grain: 'd', from: '2026-03-29', to: '2026-03-29' }]);
    expect(coverRange({ from: '2024-02-01', to: '2024-02-29' })).toEqual([{ grain: 'm', from: '2024-02-01', to: '2024-02-01' }]);
    expect(coverRange({ from: '2026-04-01', to: '2026-09-30' })).toEqual([{ grain: 'q', from: '2026-04-01', to: '2026-07-01' }]);
  });

  it('puts every date of any range in exactly one part, on aligned periods', () => {
    // A fixed pseudo-random walk over ranges from a day to three years, leap years and year ends included.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 400; i++) {
      const from = dayOf('2023-01-01') + Math.floor(next() * 1400);
      const to = from + Math.floor(next() * (i % 4 === 0 ? 40 : 1100));
      const cover = coverRange({ from: isoOf(from), to: isoOf(to) });
      const expected = Array.from({ length: to - from + 1 }, (_, k) => isoOf(from + k));
      expect(datesOf(cover)).toEqual(expected);
      for (const p of cover) {
        expect(p.from <= p.to).toBe(true);
        for (const start of [p.from, p.to]) {
          if (p.grain === 'w') expect(new Date(`${start}T00:00:00Z`).getUTCDay()).toBe(1);
          if (p.grain === 'm') expect(start.slice(8)).toBe('01');
          if (p.grain === 'q') expect(['01-01', '04-01', '07-01', '10-01']).toContain(start.slice(5));
          if (p.grain === 'y') expect(start.slice(5)).toBe('01-01');
        }
      }
      // One part of the coarsest grain, then on each side at most a quarter, a month, a week and two day parts.
      expect(cover.length).toBeLessThanOrEqual(11);
    }
  });
});
