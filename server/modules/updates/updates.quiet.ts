// Quiet hours for text messages: a text that would go out between 21:00 and 08:00 in the
// office's time zone waits until 08:00 there. Email goes at any time (it waits in the inbox).
// Local time comes from the SLA calendar's zone arithmetic (offsets remembered per zone and hour).
import { localDay, localToInstant, offsetAt } from '../sla/sla.calendar.js';

const QUIET_FROM_HOUR = 21;
const QUIET_UNTIL_HOUR = 8;
const HOUR_MS = 3_600_000;

/** When a text may be sent: null for now, else 08:00 office time (today's, or tomorrow's after 21:00). */
export function quietUntil(now: Date, timeZone: string): Date | null {
  const ms = now.getTime();
  const day = localDay(timeZone, ms);
  const hour = Math.floor((ms + offsetAt(timeZone, ms) - day * 24 * HOUR_MS) / HOUR_MS);
  if (hour >= QUIET_UNTIL_HOUR && hour < QUIET_FROM_HOUR) return null;
  return new Date(localToInstant(timeZone, hour < QUIET_UNTIL_HOUR ? day : day + 1, QUIET_UNTIL_HOUR * 60));
}
