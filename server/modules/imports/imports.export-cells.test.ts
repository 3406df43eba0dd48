// The CSV exports' formula guard: what a spreadsheet would run gets a leading quote; phone
// numbers and plain numbers do not.
import { describe, expect, it } from 'vitest';
import { safeCell } from './imports.export.js';

describe('safeCell', () => {
  it.each([
    '=HYPERLINK("http://x")', '@SUM(A1)', '\tcmd', '\rcmd', "-2+3+cmd|' /C calc'!A0", '+1+HYPERLINK("x")', '-A1', '+cmd', '-2+3',
  ])('quotes %j', (v) => expect(safeCell(v)).toBe(`'${v}`));

  it.each(['+44 20 7946 0000', '+1 (555) 010-9999', '-12.5', '-7', '+3', 'Potholes', 'O\'Brien', '', '2026-12-07'])('keeps %j', (v) => expect(safeCell(v)).toBe(v));
});
