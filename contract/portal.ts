// The resident portal's forms (application/x-www-form-urlencoded, so every value is a string):
// a report (the public form's request plus the portal's choices), a tracking lookup and a
// comment on a tracked request. Messages here are for programs; the portal shows residents
// its own, translated, chosen by field and issue code.
import { z } from 'zod';
import { blank, checkPublicRequest, ZClientToken, ZPublicOfficeParams, ZPublicRequestFields } from './web-intake.js';

const ticked = z.preprocess((v) => v === 'yes' || v === 'on' || v === true, z.boolean());

const REPLY_CHANNELS = ['email', 'sms'] as const;

export const ZPortalReport = ZPublicRequestFields.extend({
  /** How the resident wants to hear about the request: only a channel whose details they gave. */
  preferredChannel: z.preprocess(blank, z.enum(REPLY_CHANNELS).optional()),
  /** Agreement to be contacted about this request, under the privacy text shown beside it. */
  consent: ticked,
  /** Keep my name private: staff see it, public pages never do. */
  anonymous: ticked,
}).superRefine((r, ctx) => {
  checkPublicRequest(r, ctx);
  if (!r.consent) ctx.addIssue({ code: 'custom', path: ['consent'], message: 'agree to be contacted about this request' });
  if (r.preferredChannel === 'email' && !r.email) ctx.addIssue({ code: 'custom', path: ['preferredChannel'], params: { need: 'email' }, message: 'give an email address to hear by email' });
  if (r.preferredChannel === 'sms' && !r.phone) ctx.addIssue({ code: 'custom', path: ['preferredChannel'], params: { need: 'sms' }, message: 'give a mobile number to hear by text message' });
});
export type PortalReport = z.infer<typeof ZPortalReport>;

/** Track a request by its reference and the email address or phone number it was sent with. */
export const ZTrackLookup = z.object({
  reference: z.preprocess(blank, z.string({ error: 'enter the reference' }).trim().toUpperCase().regex(/^[A-Z]{1,5}-\d{4}-\d{1,10}$/, 'enter a reference like C-2026-00042')),
  contact: z.preprocess(blank, z.string({ error: 'enter the email address or phone number' }).trim().min(3, 'enter the email address or phone number').max(320)),
  formToken: ZPublicRequestFields.shape.formToken,
});
export type TrackLookup = z.infer<typeof ZTrackLookup>;

export const COMMENT_MAX = 5000;

/** A resident's comment on their tracked request. */
export const ZPortalComment = z.object({
  text: z.preprocess(blank, z.string({ error: 'write your comment' }).trim().min(1, 'write your comment').max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`)),
  clientToken: z.preprocess(blank, ZClientToken),
  formToken: ZPublicRequestFields.shape.formToken,
});
export type PortalComment = z.infer<typeof ZPortalComment>;

export const ZPortalOfficeParams = ZPublicOfficeParams;
export const ZPortalTokenParams = ZPortalOfficeParams.extend({ token: z.string().max(200) });
export const ZPortalQuery = z.object({ lang: z.string().max(20).optional() }).catchall(z.unknown());
