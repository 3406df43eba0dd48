import { describe, expect, it } from 'vitest';
import { ZBusinessHours, type BusinessHours } from '../../../contract/offices.js';
import { addBusinessMinutes, addWorkingTime, businessMinutesBetween, CalendarError, compileCalendar, localToInstant, MINUTE, offsetAt, workingTimeBetween } from './sla.calendar.js';
import { businessClock, calendarClock, dueAt, pausedTime } from './sla.clock.js';

const NONE = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } satisfies BusinessHours;
const OFFICE: BusinessHours = { ...NONE, mon: [['09:00', '17:30']], tue: [['09:00', '17:30']], wed: [['09:00', '17:30']], thu: [['09:00', '17:30']], fri: [['09:00', '17:30']] };
const NINE_TO_FIVE: BusinessHours = { ...NONE, mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] };

const cal = (timeZone: string, hours: BusinessHours, holidays: string[] = []) => compileCalendar({ timeZone, hours, holidays });
const at = (iso: string) => new Date(iso);
const add = (c: ReturnType<typeof cal>, iso: string, minutes: number) => addBusinessMinutes(c, at(iso), minutes).toISOString();
const between = (c: ReturnType<typeof cal>, a: string, b: string) => businessMinutesBetween(c, at(a), at(b));

describe('business hours in the contract', () => {
  it('accepts 24:00 as the end of a span (a night shift continues the next day), never as its start', () => {
    expect(ZBusinessHours.safeParse({ ...NONE, fri: [['22:00', '24:00']], sat: [['00:00', '06:00']] }).success).toBe(true);
    expect(ZBusinessHours.safeParse({ ...NONE, fri: [['24:00', '24:00']] }).error?.issues[0]?.path).toEqual(['fri', 0, 0]);
    expect(ZBusinessHours.safeParse({ ...NONE, fri: [['22:00', '06:00']] }).success).toBe(false);
  });
});

describe('wall clock to instant', () => {
  it('resolves London wall times on both sides of the changes, moving times in the gap forward and taking the first of repeated times', () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    const t = (iso: string, minute: number) => new Date(localToInstant('Europe/London', day(iso), minute)).toISOString();
    expect(t('2027-03-27', 9 * 60)).toBe('2027-03-27T09:00:00.000Z');
    expect(t('2027-03-28', 90)).toBe('2027-03-28T01:30:00.000Z'); // 01:30 does not exist: 02:30 BST
    expect(t('2027-03-28', 9 * 60)).toBe('2027-03-28T08:00:00.000Z');
    expect(t('2027-10-31', 90)).toBe('2027-10-31T00:30:00.000Z'); // 01:30 happens twice: the BST one
    expect(t('2027-10-31', 9 * 60)).toBe('2027-10-31T09:00:00.000Z');
    expect(t('2027-10-30', 24 * 60)).toBe('2027-10-30T23:00:00.000Z'); // 24:00 is the next midnight
  });
});

describe('offsets from UTC', () => {
  // What Intl says directly: the wall time at the instant, read back as if it were UTC.
  const intlOffset = (timeZone: string, ms: number) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(ms).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!) - ms;
  };

  it('agrees with Intl minute by minute across changes on the hour, the half hour and by half an hour', () => {
    // London (on the hour), St John's (03:31 UTC), Lord Howe (moves by 30 minutes), Kathmandu (+05:45, no change).
    const cases: [string, string][] = [['Europe/London', '2027-03-28T00:30:00Z'], ['America/St_Johns', '2027-11-07T03:00:00Z'], ['Australia/Lord_Howe', '2027-04-03T14:30:00Z'], ['Asia/Kathmandu', '2027-01-01T00:00:00Z']];
    for (const [zone, around] of cases) {
      const start = Date.parse(around);
      for (let ms = start; ms < start + 3 * 3_600_000; ms += 60_000) expect(offsetAt(zone, ms), `${zone} at ${new Date(ms).toISOString()}`).toBe(intlOffset(zone, ms));
    }
  });
});

describe('adding business minutes', () => {
  const london = cal('Europe/London', OFFICE);

  it('adds within the day, carries over to the next morning and over the weekend', () => {
    expect(add(london, '2026-11-23T16:00:00Z', 60)).toBe('2026-11-23T17:00:00.000Z');
    expect(add(london, '2026-11-23T16:45:00Z', 60)).toBe('2026-11-24T09:15:00.000Z');
    expect(add(london, '2026-11-27T17:00:00Z', 60)).toBe('2026-11-30T09:30:00.000Z');
    expect(add(london, '2026-11-23T07:00:00Z', 30)).toBe('2026-11-23T09:30:00.000Z');
    expect(add(london, '2026-11-28T12:00:00Z', 510)).toBe('2026-11-30T17:30:00.000Z'); // a Saturday start: all of Monday
    expect(add(london, '2026-11-23T16:00:00Z', 5 * 510)).toBe('2026-11-30T16:00:00.000Z'); // a working week
  });

  it('returns the start for zero minutes and refuses negative ones', () => {
    expect(add(london, '2026-11-28T12:00:00Z', 0)).toBe('2026-11-28T12:00:00.000Z');
    expect(() => addBusinessMinutes(london, at('2026-11-23T12:00:00Z'), -5)).toThrow(CalendarError);
  });

  it('keeps to wall-clock hours over the London spring change (a naive UTC sum is an hour late)', () => {
    // Friday 17:00 GMT + 60 business minutes: Monday 09:30 BST, which is 08:30 UTC.
    expect(add(london, '2027-03-26T17:00:00Z', 60)).toBe('2027-03-29T08:30:00.000Z');
    expect(between(london, '2027-03-26T09:00:00Z', '2027-03-29T16:30:00Z')).toBe(2 * 510);
  });

  it('keeps to wall-clock hours over the London autumn change', () => {
    expect(add(london, '2027-10-29T15:30:00Z', 90)).toBe('2027-11-01T09:30:00.000Z'); // Friday 16:30 BST to Monday 09:30 GMT
    expect(between(london, '2027-10-29T08:00:00Z', '2027-11-01T17:30:00Z')).toBe(2 * 510);
  });

  it('keeps to wall-clock hours over both New York changes', () => {
    const ny = cal('America/New_York', NINE_TO_FIVE);
    expect(add(ny, '2027-03-12T20:00:00Z', 180)).toBe('2027-03-15T14:00:00.000Z'); // Fri 15:00 EST + 2h, then Mon 09:00 EDT + 1h
    expect(add(ny, '2027-11-05T13:00:00Z', 480)).toBe('2027-11-05T21:00:00.000Z'); // a whole Friday (EDT)
    expect(add(ny, '2027-11-05T13:00:00Z', 540)).toBe('2027-11-08T15:00:00.000Z'); // ... then Monday 10:00 EST
    expect(between(ny, '2027-11-05T00:00:00Z', '2027-11-09T00:00:00Z')).toBe(2 * 480);
  });

  it('counts the real length of a night shift across the changes, written with 24:00 or as one overnight span', () => {
    const split: BusinessHours = { ...NONE, sat: [['22:00', '24:00']], sun: [['00:00', '06:00']] };
    const overnight: BusinessHours = { ...NONE, sat: [['22:00', '06:00']] };
    for (const hours of [split, overnight]) {
      const ny = cal('America/New_York', hours);
      expect(between(ny, '2027-03-13T00:00:00Z', '2027-03-15T00:00:00Z')).toBe(7 * 60); // the night clocks spring forward
      expect(between(ny, '2027-11-06T00:00:00Z', '2027-11-08T00:00:00Z')).toBe(9 * 60); // the night clocks fall back
      expect(between(ny, '2027-11-13T00:00:00Z', '2027-11-15T00:00:00Z')).toBe(8 * 60); // an ordinary night
      expect(add(ny, '2027-03-14T04:00:00Z', 180)).toBe('2027-03-14T07:00:00.000Z'); // Sat 23:00 EST + 3h = Sun 03:00 EDT
    }
    const london = cal('Europe/London', { ...NONE, sun: [['00:00', '04:00']] });
    expect(between(london, '2027-03-27T12:00:00Z', '2027-03-29T00:00:00Z')).toBe(180);
    expect(between(london, '2027-10-30T12:00:00Z', '2027-11-01T00:00:00Z')).toBe(300);
  });

  it('continues a night shift that began the day before', () => {
    const nights = cal('Europe/London', { ...NONE, sat: [['22:00', '06:00']] });
    expect(add(nights, '2026-11-29T03:00:00Z', 60)).toBe('2026-11-29T04:00:00.000Z');
    expect(add(nights, '2026-11-29T05:30:00Z', 60)).toBe('2026-12-05T22:30:00.000Z');
  });

  it('skips holidays, and a holiday removes the shifts that start on it', () => {
    const christmas = cal('Europe/London', OFFICE, ['2026-12-25', '2026-12-28']);
    expect(add(christmas, '2026-12-24T17:00:00Z', 60)).toBe('2026-12-29T09:30:00.000Z');
    expect(between(christmas, '2026-12-21T00:00:00Z', '2027-01-04T00:00:00Z')).toBe(8 * 510);
    const nights = cal('Europe/London', { ...NONE, sat: [['22:00', '06:00']] }, ['2026-11-28']);
    expect(between(nights, '2026-11-28T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(0);
    const nightsAfter = cal('Europe/London', { ...NONE, sat: [['22:00', '06:00']] }, ['2026-11-29']);
    expect(between(nightsAfter, '2026-11-28T00:00:00Z', '2026-11-30T00:00:00Z')).toBe(8 * 60);
  });

  it('handles split shifts and counts overlapping spans once', () => {
    const split = cal('Europe/London', { ...NONE, mon: [['09:00', '12:00'], ['13:00', '17:00']] });
    expect(add(split, '2026-11-23T11:30:00Z', 60)).toBe('2026-11-23T13:30:00.000Z');
    expect(between(split, '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toBe(7 * 60);
    const overlapping = cal('Europe/London', { ...NONE, mon: [['11:00', '13:00'], ['09:00', '12:00']] });
    expect(between(overlapping, '2026-11-23T00:00:00Z', '2026-11-24T00:00:00Z')).toBe(240);
    expect(add(overlapping, '2026-11-23T09:00:00Z', 240)).toBe('2026-11-23T13:00:00.000Z');
  });

  it('measures negative time when the end is earlier, and nothing outside working hours', () => {
    expect(between(london, '2026-11-24T10:00:00Z', '2026-11-23T17:00:00Z')).toBe(-(30 + 60));
    expect(between(london, '2026-11-28T00:00:00Z', '2026-11-29T23:59:00Z')).toBe(0);
  });

  it('refuses clearly, without looping, when the calendar has no working time', () => {
    const closed = cal('Europe/London', NONE);
    expect(closed.hasWorkingTime).toBe(false);
    expect(() => add(closed, '2026-11-23T09:00:00Z', 1)).toThrow(/no business hours on any day/);
    expect(between(closed, '2026-11-23T00:00:00Z', '2026-12-23T00:00:00Z')).toBe(0);
    // Mondays only, and every Monday for two years a holiday.
    const mondays = Array.from({ length: 110 }, (_, i) => new Date(Date.UTC(2026, 10, 23 + 7 * i)).toISOString().slice(0, 10));
    const blocked = cal('Europe/London', { ...NONE, mon: [['09:00', '17:00']] }, mondays);
    const error = (() => {
      try {
        add(blocked, '2026-11-23T00:00:00Z', 60);
      } catch (err) {
        return err as CalendarError;
      }
    })();
    expect(error).toBeInstanceOf(CalendarError);
    expect(error?.code).toBe('no_working_time');
    expect(error?.message).toMatch(/no working time in the 400 days/);
  });

  it('refuses an unknown time zone', () => {
    expect(() => cal('Mars/Olympus_Mons', OFFICE)).toThrow(CalendarError);
  });

  it('agrees with itself: the time between a start and start + d is d, all year round in New York and London', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const calendars = [
      cal('America/New_York', { ...NINE_TO_FIVE, sat: [['22:00', '24:00']], sun: [['00:00', '06:00']] }, ['2027-07-05', '2027-11-25']),
      cal('Europe/London', { ...OFFICE, wed: [['08:00', '12:00'], ['12:30', '20:00']] }, ['2027-12-27', '2027-12-28']),
    ];
    for (const c of calendars) {
      for (let i = 0; i < 200; i++) {
        const start = Date.UTC(2027, 0, 1) + Math.floor(random() * 365 * 86_400_000);
        const duration = Math.floor(random() * 5000) * MINUTE;
        const end = addWorkingTime(c, start, duration);
        expect(workingTimeBetween(c, start, end)).toBe(duration);
      }
    }
  });
});

describe('due times with pauses', () => {
  it('pushes a calendar-time due time back by the pause, and has none while an open pause stops the clock', () => {
    expect(dueAt(calendarClock, 0, 100, [])).toBe(100);
    expect(dueAt(calendarClock, 0, 100, [{ from: 10, to: 30 }])).toBe(120);
    expect(dueAt(calendarClock, 0, 100, [{ from: 10, to: 30 }, { from: 20, to: 50 }, { from: 60, to: 70 }])).toBe(150);
    expect(dueAt(calendarClock, 0, 100, [{ from: 40, to: null }])).toBeNull();
    expect(dueAt(calendarClock, 0, 100, [{ from: 150, to: null }])).toBe(100); // paused after the due time: already due
    expect(pausedTime(calendarClock, [{ from: 10, to: 30 }, { from: 20, to: 50 }], 1000)).toBe(40);
  });

  it('pushes a business-time due time back by the business time inside the pause only', () => {
    const clock = businessClock(cal('Europe/London', OFFICE));
    const created = Date.parse('2026-11-23T09:00:00Z');
    expect(new Date(dueAt(clock, created, 510 * MINUTE, [])!).toISOString()).toBe('2026-11-23T17:30:00.000Z');
    // paused from Monday 12:00 to Tuesday 10:00: 5.5 + 1 business hours lost
    const pause = { from: Date.parse('2026-11-23T12:00:00Z'), to: Date.parse('2026-11-24T10:00:00Z') };
    expect(new Date(dueAt(clock, created, 510 * MINUTE, [pause])!).toISOString()).toBe('2026-11-24T15:30:00.000Z');
    expect(pausedTime(clock, [pause], Date.parse('2026-12-01T00:00:00Z'))).toBe(390 * MINUTE);
    expect(pausedTime(clock, [{ ...pause, to: null }], Date.parse('2026-11-23T15:00:00Z'))).toBe(180 * MINUTE); // open: until now
    // a pause over a weekend costs nothing
    const weekend = { from: Date.parse('2026-11-28T10:00:00Z'), to: Date.parse('2026-11-29T10:00:00Z') };
    expect(dueAt(clock, Date.parse('2026-11-27T17:00:00Z'), 60 * MINUTE, [weekend])).toBe(Date.parse('2026-11-30T09:30:00Z'));
  });
});
