// Readers of the JSON channels: the public request form ('web'), staff quick capture (phone,
// voicemail, walk-in, event, social with source 'staff') and the generic webhook ('webhook',
// or 'social' from a bridge). Each stored raw body was validated before it was stored; the
// reader only maps it to a Reading.
import { z } from 'zod';
import { CASE_PRIORITIES } from '../../../contract/cases.js';
import { DomainError } from '../../platform/errors.js';
import { caseChannelOf, type Reader, type Reading } from './intake.readers.js';
import type { ItemRow } from './intake.repo.js';

/** The stored form request: what the resident sent, normalised (phone in E.164). */
export const ZStoredWebRequest = z.object({
  name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), address: z.string().nullable(),
  lat: z.number().nullable(), lng: z.number().nullable(), categoryId: z.string().nullable(), description: z.string(),
});
export type StoredWebRequest = z.infer<typeof ZStoredWebRequest>;

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

export const readWebRequest: Reader = async (item) => {
  const r = json(item, ZStoredWebRequest);
  const hasPoint = r.lat !== null && r.lng !== null;
  return message({
    senderName: r.name, senderAddress: r.email ?? r.phone, senderEmail: r.email, senderPhone: r.phone,
    subject: firstLine(r.description), text: r.description, details: {},
    // Anyone can type anyone's email or phone into the public form.
    senderUnverified: true, alwaysNewCase: true,
    newCase: {
      subject: firstLine(r.description, 300), description: r.description, channel: 'web', categoryId: r.categoryId,
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
