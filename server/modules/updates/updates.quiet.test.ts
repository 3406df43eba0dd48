// Quiet hours for texts: 21:00 to 08:00 in the office's time zone, clock changes included.
import { describe, expect, it } from 'vitest';
import { quietUntil } from './updates.quiet.js';

describe('quietUntil', () => {
  it('lets a text go from 08:00 to 20:59 and holds it otherwise until 08:00 office time', () => {
    const ny = 'America/New_York'; // UTC-5 in January
    expect(quietUntil(new Date('2027-01-12T13:00:00Z'), ny)).toBeNull(); // 08:00
    expect(quietUntil(new Date('2027-01-13T01:59:00Z'), ny)).toBeNull(); // 20:59
    expect(quietUntil(new Date('2027-01-13T02:00:00Z'), ny)).toEqual(new Date('2027-01-13T13:00:00Z')); // 21:00 → next 08:00
    expect(quietUntil(new Date('2027-01-13T04:59:00Z'), ny)).toEqual(new Date('2027-01-13T13:00:00Z')); // 23:59
    expect(quietUntil(new Date('2027-01-13T05:00:00Z'), ny)).toEqual(new Date('2027-01-13T13:00:00Z')); // 00:00 → same day's 08:00
    expect(quietUntil(new Date('2027-01-13T12:59:00Z'), ny)).toEqual(new Date('2027-01-13T13:00:00Z')); // 07:59
  });

  it('keeps 08:00 local across a clock change and at the year end, in zones either side of UTC', () => {
    // Sunday 14 March 2027: New York goes to UTC-4 at 02:00.
    expect(quietUntil(new Date('2027-03-14T03:00:00Z'), 'America/New_York')).toEqual(new Date('2027-03-14T12:00:00Z'));
    expect(quietUntil(new Date('2026-12-31T22:30:00Z'), 'Europe/Madrid')).toEqual(new Date('2027-01-01T07:00:00Z'));
    expect(quietUntil(new Date('2026-12-31T12:00:00Z'), 'Pacific/Auckland')).toEqual(new Date('2026-12-31T19:00:00Z')); // 01:00 on 1 January, UTC+13
    expect(quietUntil(new Date('2027-06-01T12:00:00Z'), 'UTC')).toBeNull();
  });
});
