// Quiet hours for text messages: a text that would go out between 21:00 and 08:00 in the
// office's time zone waits until 08:00 there. Email goes at any time (it waits in the inbox).
export const QUIET_FROM_HOUR = 21;
export const QUIET_UNTIL_HOUR = 8;

type Local = { year: number; month: number; day: number; hour: number; minute: number; second: number };

function localParts(at: Date, timeZone: string): Local {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour'), minute: n('minute'), second: n('second') };
}

/** The zone's offset from UTC at that instant, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const l = localParts(at, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of a local wall-clock time in the zone (around a DST change, the later reading). */
function instantOf(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  let guess = wall - offsetAt(new Date(wall), timeZone);
  guess = wall - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

/** When a text may be sent: null for now, else 08:00 office time (today's, or tomorrow's after 21:00). */
export function quietUntil(now: Date, timeZone: string): Date | null {
  const l = localParts(now, timeZone);
  if (l.hour >= QUIET_UNTIL_HOUR && l.hour < QUIET_FROM_HOUR) return null;
  if (l.hour < QUIET_UNTIL_HOUR) return instantOf(l.year, l.month, l.day, QUIET_UNTIL_HOUR, timeZone);
  // After 21:00: tomorrow's date in the zone (noon UTC of the local date, plus a day, has the right calendar date).
  const tomorrow = new Date(Date.UTC(l.year, l.month - 1, l.day, 12) + 86_400_000);
  return instantOf(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), QUIET_UNTIL_HOUR, timeZone);
}
