import { z } from 'zod';
import { ZTimestamp, ZUuid } from './common.js';

const ZTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour)');
// A span may end at 24:00, so a night shift is ["22:00", "24:00"] then ["00:00", "06:00"].
const ZEndTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be HH:MM (24-hour), or 24:00 for the end of the day');
const ZDayHours = z
  .array(z.tuple([ZTime, ZEndTime]))
  .max(4)
  .refine((spans) => spans.every(([a, b]) => a < b), 'each span must end after it starts');

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const ZBusinessHours = z.strictObject({
  mon: ZDayHours, tue: ZDayHours, wed: ZDayHours, thu: ZDayHours, fri: ZDayHours, sat: ZDayHours, sun: ZDayHours,
});
export type BusinessHours = z.infer<typeof ZBusinessHours>;

export const DEFAULT_BUSINESS_HOURS: BusinessHours = {
  mon: [['09:00', '17:30']], tue: [['09:00', '17:30']], wed: [['09:00', '17:30']],
  thu: [['09:00', '17:30']], fri: [['09:00', '17:30']], sat: [], sun: [],
};

export const ZTimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA time zone such as Europe/London');

export const ZBranding = z.strictObject({
  primaryColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a #rrggbb colour').optional(),
  logoUrl: z.url().max(2000).optional(),
  /** What the resident portal shows beside its consent checkbox (the office's privacy text, in the office's language); without it, the portal's own wording. */
  privacyNotice: z.string().trim().min(1).max(2000).optional(),
});

export const ZOffice = z.object({
  id: ZUuid,
  slug: z.string(),
  name: z.string(),
  timeZone: z.string(),
  locale: z.string(),
  defaultRegion: z.string(),
  businessHours: ZBusinessHours,
  branding: ZBranding,
  createdAt: ZTimestamp,
  updatedAt: ZTimestamp,
});
export type Office = z.infer<typeof ZOffice>;

export const ZSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lowercase letters, digits or dashes');
export const ZLocale = z.string().regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a locale such as en-GB');
export const ZRegion = z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as GB');

export const ZCreateOffice = z.strictObject({
  slug: ZSlug,
  name: z.string().trim().min(1).max(200),
  timeZone: ZTimeZone.default('UTC'),
  locale: ZLocale.default('en-GB'),
  defaultRegion: ZRegion.default('GB'),
  businessHours: ZBusinessHours.default(DEFAULT_BUSINESS_HOURS),
});
export type CreateOffice = z.input<typeof ZCreateOffice>;

export const ZUpdateOffice = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  timeZone: ZTimeZone.optional(),
  locale: ZLocale.optional(),
  defaultRegion: ZRegion.optional(),
  businessHours: ZBusinessHours.optional(),
  branding: ZBranding.optional(),
});
export type UpdateOffice = z.infer<typeof ZUpdateOffice>;
