// When area alerts go and where their links point: a daily digest at 07:00 in the office's
// time zone (clock changes included, from the SLA calendar's zone arithmetic), and the
// portal addresses of the alert pages.
import { localDay, localToInstant } from '../sla/sla.calendar.js';
import type { TokenPurpose } from './alerts.tokens.js';

export const DIGEST_HOUR = 7;

/** The first 07:00 office time after `after`. */
export function nextDigestAt(after: Date, timeZone: string): Date {
  const ms = after.getTime();
  const day = localDay(timeZone, ms);
  const today = localToInstant(timeZone, day, DIGEST_HOUR * 60);
  return new Date(today > ms ? today : localToInstant(timeZone, day + 1, DIGEST_HOUR * 60));
}

/** The subscribe page, or the page a link of this purpose opens. */
export const alertsPath = (slug: string, purpose?: TokenPurpose | 'reports', token?: string) =>
  `/portal/${slug}/alerts${purpose && token ? `/${purpose}/${token}` : ''}`;
