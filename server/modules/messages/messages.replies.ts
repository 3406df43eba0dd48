// Replies from a case: a template's approved text (in the recipient's language when approved;
// never a draft; the sent message records the version) or free text, rendered for one person
// on the case (the requester unless named), checked against their contact rules (constituents' mayContact:
// do-not-contact, merged records, a valid email, mobile or postal address, withdrawn consent),
// queued through the outbox and counted as the case's first response for its SLA. A reply goes
// on the channel the sender asks for; unasked, by letter when the person prefers post, by text
// message when they prefer SMS or the case came in by SMS, otherwise by email.
import type { Case } from '../../../contract/cases.js';
import type { Constituent } from '../../../contract/constituents.js';
import { ZReplyRequest, type MessageChannel, type OutboundMessage, type ReplyPreview, type ReplyRequest } from '../../../contract/messages.js';
import type { ApprovedTemplateText, TemplateTextQuery } from '../../../contract/templates.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { withDb, type Scope } from '../../platform/scope.js';
import { duplicateRequesters } from '../cases/cases.links.js';
import * as cases from '../cases/cases.service.js';
import * as consent from '../constituents/constituents.consent.js';
import * as constituents from '../constituents/constituents.service.js';
import * as offices from '../offices/offices.service.js';
import { markFirstResponse } from '../sla/sla.cases.js';
import * as users from '../users/users.service.js';
import type { MergeValues } from './messages.merge.js';
import { render } from './messages.merge.js';
import { splitSms } from '../sms/sms.segments.js';
import { enqueueEmail, enqueueLetter, enqueueSms, SMS_MAX_CHARS, withCaseToken } from './messages.outbox.js';
import * as repo from './messages.repo.js';
import { checkMergeFields } from './templates.service.js';
import { usableTemplate } from './templates.workflow.js';

export type Sender = { userId: string; canSeeSensitive: boolean };

/** Without a template or a subject of its own, a reply is titled after the case. */
export const DEFAULT_SUBJECT = 'Your case {{case.reference}}: {{case.subject}}';

export function present(row: repo.MessageRow): OutboundMessage {
  return {
    id: row.id, kind: row.kind, channel: row.channel as MessageChannel, to: row.to_address, subject: row.subject, body: repo.scrubLinks(row.body_text), templateId: row.template_id,
    templateVersion: row.template_version, templateLanguage: row.template_language, constituentId: row.constituent_id, status: row.status as OutboundMessage['status'], attempts: row.attempts, lastError: row.last_error,
    deliveryStatus: row.delivery_status, deliveryError: row.delivery_error,
    createdBy: row.created_by_label, createdAt: row.created_at.toISOString(), sentAt: row.sent_at ? row.sent_at.toISOString() : null,
  };
}

/** The first valid email, the primary one preferred. */
export const usableEmail = (p: Constituent): string | null =>
  (p.emails.find((e) => e.isPrimary && e.status === 'valid') ?? p.emails.find((e) => e.status === 'valid'))?.email ?? null;

/** The merge fields' values for one person on the case (the office and staff names read once by the caller). */
export function mergeValues(c: Case, person: Constituent, names: { office: string; staff: string }): MergeValues {
  return {
    'constituent.given_name': person.preferredName ?? person.givenName ?? person.organisationName ?? person.displayName,
    'constituent.family_name': person.familyName ?? '',
    'constituent.display_name': person.displayName,
    'case.reference': c.reference,
    'case.subject': c.subject,
    'case.status': c.status.label,
    'case.category': c.category?.name ?? '',
    'case.resolution_summary': c.resolution?.summary ?? '',
    'office.name': names.office,
    'staff.display_name': names.staff,
    // Filled in only by resident updates (updates.send).
    'update.status': '',
    'update.note': '',
    'update.tracking_link': '',
  };
}

/** The first valid mobile number (E.164), the primary one preferred. */
export const usableMobile = (p: Constituent): string | null =>
  (p.phones.find((t) => t.isPrimary && t.type === 'mobile' && t.status === 'valid') ?? p.phones.find((t) => t.type === 'mobile' && t.status === 'valid'))?.number ?? null;

/**
 * A letter's address block: the name, then the first valid postal address (the primary one,
 * else a postal-type one, else any), one line each; null without a valid address.
 */
export function letterAddress(p: Constituent): string | null {
  const valid = p.addresses.filter((a) => a.status === 'valid');
  const a = valid.find((x) => x.isPrimary) ?? valid.find((x) => x.type === 'postal') ?? valid[0];
  if (!a) return null;
  return [p.displayName, a.line1, a.line2, [a.locality, a.postcode].filter(Boolean).join(' ')].map((l) => l?.trim()).filter(Boolean).join('\n');
}

const CONTACT_POINT = {
  email: { of: usableEmail, consent: 'email', missing: 'no valid email address', verb: 'emailed' },
  sms: { of: usableMobile, consent: 'sms', missing: 'no valid mobile number', verb: 'texted' },
  letter: { of: letterAddress, consent: 'post', missing: 'no valid postal address', verb: 'written to' },
} as const;

/** Whether the person may get a casework message on the channel now, and the address, number or address block to use. */
export async function replyDecision(db: Executor, officeId: string, person: Constituent, channel: MessageChannel): Promise<{ to: string | null; reason: string | null }> {
  const point = CONTACT_POINT[channel];
  const to = point.of(person);
  const decision = await consent.mayContact(db, officeId, person.id, point.consent, 'casework');
  if (!to || decision.reason === 'no_contact_point') return { to: null, reason: `${person.displayName} has ${point.missing} on record` };
  if (!decision.allowed) return { to, reason: `${person.displayName} cannot be ${point.verb}: ${decision.detail}` };
  return { to, reason: null };
}

/** Whether the person may get a casework email now, and the address to use. */
export const emailDecision = (db: Executor, officeId: string, person: Constituent) => replyDecision(db, officeId, person, 'email');

type Draft = {
  c: Case; recipientId: string; isRequester: boolean; subject: string; body: string; template: repo.TemplateRef | null; names: { office: string; staff: string };
  channel: MessageChannel | undefined;
};
type Rendered = ReplyPreview & { template: repo.TemplateRef | null; caseId: string };

/** The case (if the sender may see it) and the person on it a reply goes to: the requester unless named. */
async function recipientOf(scope: Scope, sender: Sender, caseId: string, constituentId: string | undefined): Promise<{ c: Case; recipientId: string }> {
  const c = await cases.get(scope, sender, caseId);
  const recipientId = constituentId ?? c.requester?.id;
  if (!recipientId) throw new DomainError('validation_failed', { field: 'constituentId', message: 'The case has no requester; choose a person on the case to reply to' });
  if (!c.constituents.some((p) => p.id === recipientId)) throw new DomainError('validation_failed', { field: 'constituentId', message: 'That person is not on this case' });
  return { c, recipientId };
}

/** A template's approved text for the person: in `language` when given, else in theirs when approved, else the template's default. */
async function templateFor(scope: Scope, templateId: string, personId: string, language?: string): Promise<ApprovedTemplateText> {
  const person = await constituents.get(scope, personId);
  return usableTemplate(scope.db, scope.officeId, templateId, { field: 'templateId', preferredLanguages: [person.preferredLanguage], language });
}

/** The approved text the composer starts from when a template is chosen for a person on the case. */
export async function templateText(scope: Scope, sender: Sender, caseId: string, q: TemplateTextQuery): Promise<ApprovedTemplateText> {
  const { recipientId } = await recipientOf(scope, sender, caseId, q.constituentId);
  return templateFor(scope, q.templateId, recipientId);
}

/** Checks the request and finds what the reply is made of, before it is rendered for anyone. */
async function draft(scope: Scope, sender: Sender, caseId: string, input: ReplyRequest): Promise<Draft> {
  const v = ZReplyRequest.parse(input);
  const { c, recipientId } = await recipientOf(scope, sender, caseId, v.constituentId);
  if (v.templateLanguage && !v.templateId) throw new DomainError('validation_failed', { field: 'templateLanguage', message: 'templateLanguage: choose a template too' });
  // Only approved text comes from a template; staff may still edit it before sending (their own text).
  const template = v.templateId ? await templateFor(scope, v.templateId, recipientId, v.templateLanguage) : null;
  const subject = v.subject ?? template?.subject ?? DEFAULT_SUBJECT;
  const body = v.body ?? template?.body;
  if (body === undefined) throw new DomainError('validation_failed', { field: 'body', message: 'body: write a message or choose a template' });
  checkMergeFields(subject, 'subject');
  checkMergeFields(body, 'body');
  const names = { office: (await offices.get(scope)).name, staff: (await users.get(scope, sender.userId)).displayName };
  const ref = template ? { templateId: template.templateId, version: template.version, language: template.language } : null;
  return { c, recipientId, isRequester: recipientId === c.requester?.id, subject, body, template: ref, names, channel: v.channel };
}

/**
 * The channel of a reply the sender did not pick one for: a letter when the person prefers post
 * and has an address; SMS when they prefer it or the case came in by text, unless they have no
 * mobile and do have an email address; otherwise email.
 */
function defaultChannelOf(person: Constituent, caseChannel: string): MessageChannel {
  if (person.preferredChannel === 'post' && letterAddress(person)) return 'letter';
  const wantsSms = person.preferredChannel === 'sms' || caseChannel === 'sms';
  return wantsSms && (usableMobile(person) || !usableEmail(person)) ? 'sms' : 'email';
}

/** The draft with the merge fields filled in for one person, on their channel, and whether it can go to them. */
async function renderFor(scope: Scope, d: Draft, personId: string): Promise<Rendered> {
  const person = await constituents.get(scope, personId);
  const values = mergeValues(d.c, person, d.names);
  const channel: MessageChannel = d.channel ?? defaultChannelOf(person, d.c.channel);
  const body = render(d.body, values);
  const { to, reason } = await replyDecision(scope.db, scope.officeId, person, channel);
  const tooLong = channel === 'sms' && body.length > SMS_MAX_CHARS ? `The reply is too long for a text message (${body.length} characters; at most ${SMS_MAX_CHARS})` : null;
  const sms = channel === 'sms' ? splitSms(body) : null;
  return {
    // The subject as it will be sent: an email's has the case token in it once (enqueueEmail does
    // the same); a letter prints the reference on its own line instead.
    recipient: { id: person.id, displayName: person.displayName }, channel, to, body,
    subject: channel === 'email' ? withCaseToken(render(d.subject, values).trim(), d.c.reference) : render(d.subject, values).trim(),
    canSend: reason === null && tooLong === null, reason: reason ?? tooLong, sms: sms ? { segments: sms.segments.length, encoding: sms.encoding } : null,
    template: d.template, caseId: d.c.id,
  };
}

function queue(trx: Executor, scope: Scope, m: Rendered) {
  const common = { to: m.to!, caseId: m.caseId, constituentId: m.recipient.id, kind: 'reply', template: m.template };
  if (m.channel === 'sms') return enqueueSms(trx, scope, { ...common, text: m.body });
  if (m.channel === 'letter') return enqueueLetter(trx, scope, { ...common, subject: m.subject, text: m.body });
  return enqueueEmail(trx, scope, { ...common, subject: m.subject, text: m.body });
}

export async function preview(scope: Scope, sender: Sender, caseId: string, input: ReplyRequest): Promise<ReplyPreview> {
  const d = await draft(scope, sender, caseId, input);
  const { template: _t, caseId: _c, ...p } = await renderFor(scope, d, d.recipientId);
  return p;
}

/**
 * Sends the reply. A reply to the requester is the case's public update, so it also goes to
 * the requesters of cases marked duplicate of this one (each addressed by name), skipping
 * those who cannot be emailed: the refusal rules apply to the person the sender chose.
 * A sensitive case's replies never go to anyone else, nor do copies reach sensitive duplicates.
 */
export async function send(scope: Scope, sender: Sender, caseId: string, input: ReplyRequest): Promise<OutboundMessage> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const d = await draft(s, sender, caseId, input);
    const m = await renderFor(s, d, d.recipientId);
    if (!m.canSend || !m.to) throw new DomainError('cannot_contact', { field: 'constituentId', message: m.reason ?? 'No address to send to' });
    const { id } = await queue(trx, s, m);
    if (d.isRequester && !d.c.isSensitive) {
      const others = new Set(await duplicateRequesters(trx, scope.officeId, d.c.id));
      others.delete(d.recipientId);
      for (const personId of others) {
        const copy = await renderFor(s, d, personId);
        if (copy.canSend && copy.to) await queue(trx, s, copy);
      }
    }
    await markFirstResponse(trx, scope.officeId, d.c.id);
    return present((await repo.get(trx, scope.officeId, id))!);
  });
}

export async function listForCase(scope: Scope, sender: Sender, caseId: string): Promise<OutboundMessage[]> {
  const c = await cases.get(scope, sender, caseId);
  return (await repo.listForCase(scope.db, scope.officeId, c.id, 200)).map(present);
}
