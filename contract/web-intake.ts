// Web form intake, staff quick capture and the generic webhook: the requests residents,
// staff and other tools send, and what they get back.
import { z } from 'zod';
import { CASE_PRIORITIES } from './cases.js';
import { ZUuid } from './common.js';
import { ZInboundStatus } from './intake.js';

/** A client token: the idempotency key a resubmit carries again. */
export const ZClientToken = z.string().trim().regex(/^[A-Za-z0-9_.:-]{8,200}$/, 'must be 8 to 200 letters, digits or _ . : -');

// Form fields arrive as strings, often empty: an empty field is a missing one.
/** An empty form field is a missing one. */
export const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(blank, z.string().trim().max(max, `must be at most ${max} characters`).optional());
const coord = (min: number, max: number) =>
  z.preprocess(blank, z.coerce.number({ error: 'must be a number' }).min(min, `must be between ${min} and ${max}`).max(max, `must be between ${min} and ${max}`).optional());

/** The fields of a resident's request from the public form (JSON or application/x-www-form-urlencoded). */
export const ZPublicRequestFields = z.object({
  name: z.preprocess(blank, z.string({ error: 'enter your name' }).trim().min(1, 'enter your name').max(200, 'must be at most 200 characters')),
  email: z.preprocess(blank, z.string().trim().max(320).pipe(z.email('enter an email address like name@example.com')).optional()),
  phone: z.preprocess(blank, z.string().trim().min(3, 'enter a phone number').max(40, 'must be at most 40 characters').optional()),
  address: text(500),
  lat: coord(-90, 90),
  lng: coord(-180, 180),
  categoryId: z.preprocess(blank, ZUuid.optional()),
  description: z.preprocess(blank, z.string({ error: 'describe your request' }).trim().min(1, 'describe your request').max(5000, 'must be at most 5000 characters')),
  /** Idempotency key: the same token again returns the same reference and stores nothing twice. */
  clientToken: z.preprocess(blank, ZClientToken),
  /** The signed time the form was served (from the categories answer or the form page). */
  formToken: z.preprocess(blank, z.string({ error: 'the form is incomplete; reload it' }).max(300)),
  /** Left empty by people; a bot that fills every field fills this one. */
  website: z.string().max(2000).optional(),
});

/** The checks across fields of a request: a way to reply, and a whole point or none. */
export function checkPublicRequest(r: { email?: string | undefined; phone?: string | undefined; lat?: number | undefined; lng?: number | undefined }, ctx: z.RefinementCtx): void {
  if (!r.email && !r.phone) ctx.addIssue({ code: 'custom', path: ['email'], message: 'give an email address or a phone number so we can reply' });
  if ((r.lat === undefined) !== (r.lng === undefined)) ctx.addIssue({ code: 'custom', path: [r.lat === undefined ? 'lat' : 'lng'], message: 'give both latitude and longitude, or neither' });
}

/** A resident's request from the public form (JSON or application/x-www-form-urlencoded). */
export const ZPublicRequest = ZPublicRequestFields.superRefine(checkPublicRequest);
export type PublicRequest = z.infer<typeof ZPublicRequest>;

export const ZPublicOfficeParams = z.object({ office: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'is not an office') });

export const ZPublicCategories = z.object({
  office: z.object({ slug: z.string(), name: z.string() }),
  items: z.array(z.object({ id: ZUuid, name: z.string(), path: z.array(z.string()) })),
  /** Send back as formToken; a request sent sooner than minFillSeconds after it is refused. */
  formToken: z.string(),
  minFillSeconds: z.number().int(),
});

/** Whether the office's public form is live, and which categories it offers (null: every current one). */
export const ZPublicFormSettings = z.strictObject({
  enabled: z.boolean(),
  categoryIds: z.array(ZUuid).max(500).nullable(),
});
export type PublicFormSettings = z.infer<typeof ZPublicFormSettings>;

export const ZPublicRequestResult = z.object({
  /** The case reference once the request is filed; null while it waits to be processed. */
  reference: z.string().nullable(),
  status: z.enum(['filed', 'received']),
  duplicate: z.boolean(),
});

/** Channels staff log contacts from. */
export const CAPTURE_CHANNELS = ['phone', 'voicemail', 'walk_in', 'event', 'social'] as const;

export const ZCapture = z.strictObject({
  clientToken: ZClientToken,
  channel: z.enum(CAPTURE_CHANNELS),
  /** An existing constituent, or a person to find by email/phone or else record. */
  constituentId: ZUuid.optional(),
  person: z.strictObject({
    name: z.string().trim().min(1).max(200),
    email: z.string().trim().max(320).pipe(z.email('must be a valid email address')).optional(),
    phone: z.string().trim().min(3).max(40).optional(),
  }).optional(),
  text: z.string().trim().min(1, 'say what they told you').max(20_000),
  /** The post a social-media contact refers to. */
  postUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) link' }).max(2000).optional(),
  followUp: z.strictObject({
    title: z.string().trim().min(1).max(300),
    dueOn: z.iso.date().optional(),
  }).optional(),
  /** Attach to this case; without it a new case is opened. */
  caseId: ZUuid.optional(),
  newCase: z.strictObject({
    subject: z.string().trim().min(1).max(300).optional(),
    categoryId: ZUuid.nullable().optional(),
    priority: z.enum(CASE_PRIORITIES).default('normal'),
  }).optional(),
}).superRefine((c, ctx) => {
  if (c.constituentId && c.person) ctx.addIssue({ code: 'custom', path: ['person'], message: 'give an existing constituent or a new person, not both' });
  if (c.caseId && c.newCase) ctx.addIssue({ code: 'custom', path: ['newCase'], message: 'attach to a case or open a new one, not both' });
  if (c.postUrl && c.channel !== 'social') ctx.addIssue({ code: 'custom', path: ['postUrl'], message: 'only for social media contacts' });
});
export type Capture = z.input<typeof ZCapture>;

export const ZCaptureResult = z.object({
  itemId: ZUuid,
  caseId: ZUuid,
  reference: z.string(),
  constituentId: ZUuid.nullable(),
  taskId: ZUuid.nullable(),
  duplicate: z.boolean(),
});
export type CaptureResult = z.infer<typeof ZCaptureResult>;

/** Sources whose messages are social-media posts (their items go in as channel 'social'). */
export const SOCIAL_SOURCES = ['social', 'facebook', 'instagram', 'x', 'twitter', 'mastodon', 'bluesky', 'threads', 'nextdoor', 'linkedin', 'tiktok', 'youtube'] as const;

export const ZWebhookMessage = z.strictObject({
  /** The tool or network the message comes from: lower case, e.g. "mastodon". */
  source: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'must be a lower-case name like "mastodon"'),
  /** The message's id in its source: a redelivery with the same id is stored once. */
  externalId: z.string().trim().min(1).max(400),
  from: z.strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.string().trim().max(320).pipe(z.email('must be a valid email address')).optional(),
    phone: z.string().trim().min(3).max(40).optional(),
    /** The sender's handle on the network, e.g. @ada@town.social. */
    handle: z.string().trim().min(1).max(200).optional(),
  }),
  subject: z.string().trim().min(1).max(300).optional(),
  text: z.string().trim().min(1).max(50_000),
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) link' }).max(2000).optional(),
});
export type WebhookMessage = z.input<typeof ZWebhookMessage>;

export const ZWebhookResult = z.object({ id: ZUuid, duplicate: z.boolean(), status: ZInboundStatus, channel: z.enum(['webhook', 'social']) });
