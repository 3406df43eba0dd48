// The cover of a range by summary rows: every date in exactly one part, parts on whole years and
// months, and the fewest rows for the usual ranges.
import { describe, expect, it } from 'vitest';
import { coverRange, dayOf, isoOf, type CoverPart } from './insights.days.js';

/** Every date a cover stands for, in order. */
function datesOf(cover: CoverPart[]): string[] {
  const out: string[] = [];
  for (const p of cover) {
    if (p.grain === 'd') for (let d = dayOf(p.from); d <= dayOf(p.to); d++) out.push(isoOf(d));
    else {
      let d = dayOf(p.from);
      while (isoOf(d) <= p.to) {
        const start = isoOf(d);
        const next = p.grain === 'm' ? `${start.slice(0, 5)}${String(Number(start.slice(5, 7)) % 12 + 1).padStart(2, '0')}-01` : `${Number(start.slice(0, 4)) + 1}-01-01`;
        const end = p.grain === 'm' && start.slice(5, 7) === '12' ? `${Number(start.slice(0, 4)) + 1}-01-01` : next;
        for (; isoOf(d) < end; d++) out.push(isoOf(d));
      }
    }
  }
  return out.sort();
}

describe('coverRange', () => {
  it('covers a 12-month range with whole months and edge days, and whole years when the range holds them', () => {
    expect(coverRange({ from: '2025-12-08', to: '2026-12-07' })).toEqual([
      { grain: 'm', from: '2026-01-01', to: '2026-11-01' }, { grain: 'd', from: '2025-12-08', to: '2025-12-31' }, { grain: 'd', from: '2026-12-01', to: '2026-12-07' },
    ]);
    expect(coverRange({ from: '2024-11-15', to: '2026-02-03' })).toEqual([
      { grain: 'y', from: '2025-01-01', to: '2025-01-01' },
      { grain: 'm', from: '2024-12-01', to: '2024-12-01' }, { grain: 'd', from: '2024-11-15', to: '2024-11-30' },
      { grain: 'm', from: '2026-01-01', to: '2026-01-01' }, { grain: 'd', from: '2026-02-01', to: '2026-02-03' },
    ]);
    expect(coverRange({ from: '2024-01-01', to: '2025-12-31' })).toEqual([{ grain: 'y', from: '2024-01-01', to: '2025-01-01' }]);
    expect(coverRange({ from: '2026-03-29', to: '2026-03-29' })).toEqual([{ grain: 'd', from: '2026-03-29', to: '2026-03-29' }]);
    expect(coverRange({ from: '2024-02-01', to: '2024-02-29' })).toEqual([{ grain: 'm', from: '2024-02-01', to: '2024-02-01' }]);
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
        if (p.grain === 'm') expect([p.from.slice(8), p.to.slice(8)]).toEqual(['01', '01']);
        if (p.grain === 'y') expect([p.from.slice(5), p.to.slice(5)]).toEqual(['01-01', '01-01']);
      }
      // At most one year part, two month parts and two day parts.
      expect(cover.length).toBeLessThanOrEqual(5);
    }
  });
});
