// Readers of the JSON channels: the public request form ('web'), staff quick capture (phone,
// voicemail, walk-in, event, social with source 'staff') and the generic webhook ('webhook',
// or 'social' from a bridge). Each stored raw body was validated before it was stored; the
// reader only maps it to a Reading.
import { z } from 'zod';
import { CASE_PRIORITIES } from '../../../contract/cases.js';
import { DomainError } from '../../platform/errors.js';
import { attachStored, type PendingFile } from '../attachments/attachments.intake.js';
import { recordPortalChoices } from '../constituents/constituents.intake.js';
import { caseChannelOf, type Reader, type Reading } from './intake.readers.js';
import type { ItemRow } from './intake.repo.js';

/** What the resident chose on the portal besides the request: how to hear back, consent, anonymity, language. */
const ZPortalChoices = z.object({
  preferredChannel: z.enum(['email', 'sms']), anonymous: z.boolean(), language: z.string(),
  /** The words the resident agreed to, as the consent ledger's evidence. */
  consent: z.string(),
  /** Answers to the category's own questions (its service definition), in words. */
  answers: z.array(z.object({ code: z.string(), question: z.string(), answer: z.string() })).optional(),
});
export type PortalChoices = z.infer<typeof ZPortalChoices>;

/** A photo sent with a request or comment, as its stored raw body names it (the stored bytes' hash: a resend must send the same photos). */
const ZStoredPhoto = z.object({ fileName: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() });
export type StoredPhoto = z.infer<typeof ZStoredPhoto>;

/** The stored form request: what the resident sent, normalised (phone in E.164); `portal` when sent through the portal. */
export const ZStoredWebRequest = z.object({
  name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(),
  lat: z.number().nullable(), lng: z.number().nullable(), categoryId: z.string().nullable(), description: z.string(),
  portal: ZPortalChoices.optional(),
  photos: z.array(ZStoredPhoto).optional(),
});
export type StoredWebRequest = z.infer<typeof ZStoredWebRequest>;

/** A comment a resident added on the portal to their tracked request: the request's case and sender, checked when it was stored. */
export const ZStoredWebComment = z.object({
  kind: z.literal('comment'), caseId: z.string(), requestItemId: z.string(), constituentId: z.string().nullable(), senderName: z.string().nullable(), text: z.string(),
  photos: z.array(ZStoredPhoto).optional(),
});
export type StoredWebComment = z.infer<typeof ZStoredWebComment>;

/** What capture resolved before storing: the person (found or recorded) and their phone in E.164. */
export const ZCaptureDetails = z.object({ constituentId: z.string().nullable(), phone: z.string().nullable() }).partial();

const ZStoredCapture = z.object({
  channel: z.string(),
  person: z.object({ name: z.string(), email: z.string().optional() }).optional(),
  text: z.string(),
  postUrl: z.string().optional(),
  caseId: z.string().optional(),
  newCase: z.object({ subject: z.string().optional(), categoryId: z.string().nullable().optional(), priority: z.enum(CASE_PRIORITIES).optional() }).optional(),
});

const ZStoredWebhook = z.object({
  source: z.string(), externalId: z.string(),
  from: z.object({ name: z.string().optional(), email: z.string().optional(), phone: z.string().optional(), handle: z.string().optional() }),
  subject: z.string().optional(), text: z.string(), url: z.string().optional(),
});

function json<T>(item: ItemRow, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(JSON.parse(item.raw.toString('utf8')));
  if (!parsed.success) throw new DomainError('validation_failed', { message: `The stored ${item.channel} item is not in the expected form: ${parsed.error.issues[0]?.message ?? 'unknown'}` });
  return parsed.data;
}

const firstLine = (text: string, max = 120) => {
  const line = text.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
};

const message = (r: Omit<Reading, 'kind' | 'html' | 'replyText' | 'messageId' | 'inReplyTo' | 'references'>): Reading => ({
  kind: 'message', html: null, replyText: null, messageId: null, inReplyTo: null, references: [], ...r,
});

/** Where the item's photos were stored (its details, written with it), as attachments to make on filing. */
const ZItemPhotos = z.object({ photos: z.array(z.object({ key: z.string(), fileName: z.string(), contentType: z.string(), size: z.number(), sha256: z.string() })).optional() });

/** The photos stored with the item become attachments of the case it is filed on (by intake, or by staff from the inbox). */
export function photosOnFiling(item: Pick<ItemRow, 'details'>): Pick<Reading, 'onFiled'> {
  const photos: PendingFile[] = ZItemPhotos.safeParse(item.details ?? {}).data?.photos ?? [];
  return photos.length ? { onFiled: (trx, scope, caseId) => attachStored(trx, scope, caseId, photos, 'Resident (portal)') } : {};
}

/** A portal comment threads into its request's case, from the request's sender (the tracking link vouches for them). */
function readWebComment(c: StoredWebComment): Reading {
  const reading = message({
    senderName: c.senderName, senderAddress: null, senderEmail: null, senderPhone: null, subject: firstLine(c.text), text: c.text,
    details: { portal: 'comment', requestItemId: c.requestItemId }, constituentId: c.constituentId, threadCaseId: c.caseId,
  });
  // The whole comment is what the case's timeline shows of it.
  return { ...reading, replyText: c.text };
}

/** Answers to a category's questions as the case's description shows them: a line each, the question then the answer. */
const answersText = (answers: readonly { question: string; answer: string }[]) => answers.map((a) => `${a.question}: ${a.answer}`).join('\n');

/** The portal's choices: how the resident wants to hear back, and their consent once their record is known. */
function portalReading(p: PortalChoices, receivedAt: Date): Pick<Reading, 'replyChannel' | 'onIdentified'> {
  return {
    replyChannel: p.preferredChannel,
    onIdentified: (trx, scope, constituentId, isNew) =>
      recordPortalChoices(trx, scope, constituentId, { channel: p.preferredChannel, language: p.language, evidence: p.consent, effectiveAt: receivedAt, isNew }),
  };
}

export const readWebRequest: Reader = async (item) => {
  const parsed = json(item, z.union([ZStoredWebComment, ZStoredWebRequest]));
  if ('kind' in parsed) return { ...readWebComment(parsed), ...photosOnFiling(item) };
  const r = parsed;
  const hasPoint = r.lat !== null && r.lng !== null;
  // The answers to the category's questions follow the resident's own words on the case.
  const description = r.portal?.answers?.length ? `${r.description}\n\n${answersText(r.portal.answers)}` : r.description;
  return message({
    ...photosOnFiling(item),
    senderName: r.name, senderAddress: r.email ?? r.phone, senderEmail: r.email, senderPhone: r.phone,
    subject: firstLine(r.description), text: r.description,
    details: r.portal ? { portal: 'report', anonymous: r.portal.anonymous, language: r.portal.language } : {},
    ...(r.portal ? portalReading(r.portal, item.received_at) : {}),
    // Anyone can type anyone's email or phone into the public form.
    senderUnverified: true, alwaysNewCase: true,
    newCase: {
      subject: firstLine(r.description, 300), description, channel: 'web', categoryId: r.categoryId,
      location: r.address || hasPoint ? { address: r.address, lat: r.lat, lng: r.lng } : null,
    },
  });
};

export const readCapture: Reader = async (item) => {
  const c = json(item, ZStoredCapture);
  const d = ZCaptureDetails.parse(item.details ?? {});
  return message({
    senderName: c.person?.name ?? null, senderAddress: c.person?.email ?? d.phone ?? null, senderEmail: c.person?.email ?? null, senderPhone: d.phone ?? null,
    subject: c.newCase?.subject ?? firstLine(c.text), text: c.text, details: c.postUrl ? { postUrl: c.postUrl } : {},
    constituentId: d.constituentId ?? null, threadCaseId: c.caseId ?? null, alwaysNewCase: true,
    newCase: {
      subject: c.newCase?.subject ?? firstLine(c.text, 300), description: c.text + (c.postUrl ? `\n\n${c.postUrl}` : ''), channel: caseChannelOf(c.channel),
      categoryId: c.newCase?.categoryId ?? null, priority: c.newCase?.priority ?? 'normal',
    },
  });
};

export const readWebhook: Reader = async (item) => {
  const m = json(item, ZStoredWebhook);
  const d = ZCaptureDetails.parse(item.details ?? {});
  return message({
    senderName: m.from.name ?? m.from.handle ?? null, senderAddress: m.from.email ?? d.phone ?? m.from.handle ?? null,
    senderEmail: m.from.email ?? null, senderPhone: d.phone ?? null,
    subject: m.subject ?? firstLine(m.text), text: m.text + (m.url ? `\n\n${m.url}` : ''),
    details: { source: m.source, externalId: m.externalId, ...(m.url ? { url: m.url } : {}), ...(m.from.handle ? { handle: m.from.handle } : {}) },
  });
};

/** 'social' items come from staff capture (source 'staff') or from a bridge over the webhook. */
export const readSocial: Reader = (item, db) => (item.source === 'staff' ? readCapture(item, db) : readWebhook(item, db));
