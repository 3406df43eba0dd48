// Sending a resident update (the job's work): who is told, on which channel, in which
// language, from the office's approved template, and why someone is not. Runs after the change
// committed, in a transaction of its own holding the update's row lock, so a redelivered or
// concurrent job finds it done; each message also carries a dedupe key per update and person.
// Recipients: the case's requester, and for a status change the confirmed followers of the
// report while it is public (by email, from the office's "Report followers" template, with
// their unsubscribe link; nothing of the request's words or its sender). Never for a
// sensitive case; never to someone marked do not contact or who withdrew consent on the
// channel (replyDecision, casework purpose); a text waits out quiet hours (updates.quiet).
import type { Case } from '../../../contract/cases.js';
import type { Constituent } from '../../../contract/constituents.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Database, type Executor, type Trx } from '../../platform/db/database.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import * as alerts from '../alerts/alerts.service.js';
import * as publicReports from '../cases/cases.public-reports.js';
import * as publicCases from '../cases/cases.public.js';
import * as cases from '../cases/cases.service.js';
import * as constituents from '../constituents/constituents.service.js';
import { caseTrackingLink } from '../intake/intake.form-token.js';
import { TEMPLATE_MERGE_FIELDS } from '../../../contract/messages.js';
import { render, type MergeValues } from '../messages/messages.merge.js';
import { enqueueEmail, enqueueSms, SMS_MAX_CHARS } from '../messages/messages.outbox.js';
import { emailDecision, mergeValues, replyDecision } from '../messages/messages.replies.js';
import { sharedNote } from '../notes/notes.public.js';
import * as offices from '../offices/offices.service.js';
import { LANGUAGES, translator } from '../portal/portal.i18n.js';
import { residentStatus } from '../portal/portal.track.js';
import { whyNotTextable } from '../sms/sms.sender.js';
import { quietUntil } from './updates.quiet.js';
import { enqueueSend } from './updates.queue.js';
import * as repo from './updates.repo.js';
import { updateText } from './updates.templates.js';

export type Recipient = { constituentId: string; role: 'requester' };
type Route = { channel: 'email' | 'sms'; to: string } | { reason: string };
export type RecipientOutcome = { constituentId: string | null; role: string | null; channel?: 'email' | 'sms'; messageId?: string; skipped?: string; deferredUntil?: string };
export type SendResult = 'sent' | 'done_before' | 'not_due' | 'deferred' | 'gone';

/** Who hears of updates to the case: its requester (followers are added here later). */
const recipientsOf = (c: Case): Recipient[] => (c.requester ? [{ constituentId: c.requester.id, role: 'requester' }] : []);

/** Their preferred channel: a text when they prefer texts and may be texted, else email; or why neither. */
async function routeFor(db: Executor, officeId: string, person: Constituent): Promise<Route> {
  let smsWhy: string | null = null;
  if (person.preferredChannel === 'sms') {
    const d = await replyDecision(db, officeId, person, 'sms');
    smsWhy = d.reason ?? (d.to ? await whyNotTextable(db, officeId, d.to) : 'no mobile number');
    if (!smsWhy && d.to) return { channel: 'sms', to: d.to };
  }
  const e = await emailDecision(db, officeId, person);
  if (!e.reason && e.to) return { channel: 'email', to: e.to };
  return { reason: [smsWhy, e.reason ?? 'no email address'].filter(Boolean).join('; ') };
}

/** Blank lines left by an empty merge field (no tracking link) collapse. */
const tidy = (text: string) => `${text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;

const WHAT = { status_changed: 'the status change', public_note: 'the shared note' } as const;

async function recordSkips(trx: Trx, scope: Scope, u: repo.UpdateRow, outcomes: RecipientOutcome[]): Promise<void> {
  for (const o of outcomes.filter((x) => x.skipped)) {
    await audit.record(trx, scope, {
      entity: 'resident_update', id: u.id, action: 'not_sent', caseId: u.case_id, constituentId: o.constituentId,
      after: { summary: `Resident not told of ${WHAT[u.kind as repo.UpdateKind]}: ${o.skipped}`, kind: u.kind, reason: o.skipped },
    });
  }
}

type Content = { status: string | null; note: string | null; link: string };

type OfficeFacts = { name: string; locale: string; timeZone: string };

async function messageFor(trx: Trx, scope: Scope, u: repo.UpdateRow, c: Case, person: Constituent, route: { channel: 'email' | 'sms'; to: string }, content: Content, office: OfficeFacts): Promise<RecipientOutcome> {
  const base = { constituentId: person.id, role: 'requester', channel: route.channel };
  const text = await updateText(trx, scope, u.kind as repo.UpdateKind, [person.preferredLanguage, office.locale].filter((l): l is string => !!l));
  if (!text) return { ...base, skipped: 'the office has retired the template for this update' };
  const lang = LANGUAGES.includes(text.language.split('-')[0]!) ? text.language.split('-')[0]! : 'en';
  const t = translator(lang, office.timeZone);
  const values: MergeValues = {
    ...mergeValues(c, person, { office: office.name, staff: office.name }),
    'update.status': content.status ? t.t(`status.${content.status}`) : '', 'update.note': content.note ?? '', 'update.tracking_link': content.link,
  };
  const subject = render(text.subject, values).replace(/\s+/g, ' ').trim().slice(0, 300);
  const body = tidy(render(text.body, values));
  const about = { caseId: c.id, constituentId: person.id, kind: 'resident_update', dedupeKey: `update:${u.id}:${person.id}`, template: { templateId: text.templateId, version: text.version, language: text.language } };
  if (route.channel === 'email') return { ...base, messageId: (await enqueueEmail(trx, scope, { ...about, to: route.to, subject, text: body })).id };
  const sms = body.length <= SMS_MAX_CHARS ? body.trim() : `${subject} ${content.link}`.trim();
  return { ...base, messageId: (await enqueueSms(trx, scope, { ...about, to: route.to, text: sms })).id };
}

/** A follower's email: the report's reference, topic and new status, its public page, and how to stop. */
async function followerMessage(trx: Trx, scope: Scope, u: repo.UpdateRow, c: Case, f: alerts.Follower, status: string | null, office: OfficeFacts & { slug: string }, publicUrl: string, now: Date): Promise<RecipientOutcome> {
  const base = { constituentId: null, role: 'follower', channel: 'email' as const };
  const text = await updateText(trx, scope, 'follower_status', [f.language, office.locale]);
  if (!text) return { ...base, skipped: 'the office has retired the template for followers' };
  const lang = LANGUAGES.includes(text.language.split('-')[0]!) ? text.language.split('-')[0]! : 'en';
  const t = translator(lang, office.timeZone);
  const blank = Object.fromEntries(Object.keys(TEMPLATE_MERGE_FIELDS).map((k) => [k, ''])) as MergeValues;
  const values: MergeValues = {
    ...blank, 'case.reference': c.reference, 'case.category': c.category?.name ?? '', 'case.status': status ? t.t(`status.${status}`) : '', 'office.name': office.name, 'staff.display_name': office.name,
    'update.status': status ? t.t(`status.${status}`) : '', 'update.tracking_link': `${publicUrl}/portal/${office.slug}/reports/${encodeURIComponent(c.reference)}?lang=${lang}`,
  };
  const unsubscribe = await alerts.unsubscribeLink(trx, { id: scope.officeId, slug: office.slug }, f.id, publicUrl, lang, now);
  const subject = render(text.subject, values).replace(/\s+/g, ' ').trim().slice(0, 300);
  const body = `${tidy(render(text.body, values))}\n${t.t('follow.mail.stop', { link: unsubscribe })}\n`;
  const message = await enqueueEmail(trx, scope, {
    // Not threaded on the case (no caseId): a follower's reply must never land on, or reopen, someone else's case.
    to: f.email, subject, text: body, listUnsubscribeUrl: unsubscribe, kind: 'report_follow',
    dedupeKey: `update:${u.id}:follower:${f.id}`, template: { templateId: text.templateId, version: text.version, language: text.language },
  });
  return { ...base, messageId: message.id };
}

/**
 * Sends the update if it is due and not done: queues each recipient's message in the outbox,
 * or records why not (on the case's timeline). A text in quiet hours defers the update to
 * 08:00 office time (the emails already queued are not queued again then: dedupe keys).
 */
export async function sendUpdate(database: Pick<Database, 'db'>, officeId: string, id: string, publicUrl: string, now = new Date()): Promise<SendResult> {
  return inTransaction(database.db, async (trx) => {
    const u = await repo.lock(trx, officeId, id);
    if (!u) return 'gone';
    if (u.done_at) return 'done_before';
    if (u.not_before.getTime() > now.getTime()) return 'not_due';
    const scope = systemScope(trx, officeId, 'resident updates');
    const finish = async (outcomes: RecipientOutcome[]) => {
      await repo.finish(trx, officeId, u.id, outcomes);
      await recordSkips(trx, scope, u, outcomes);
      return 'sent' as const;
    };
    const nobody = (skipped: string) => finish([{ constituentId: null, role: null, skipped }]);
    const c = await cases.load(trx, officeId, u.case_id);
    // The closure message told the requester: with nobody following the report, there is nothing to do or record.
    if (u.requester_told && !(await alerts.followersOf(trx, officeId, c.id)).length) return finish([]);
    if (c.isSensitive) return nobody('a sensitive case: residents are not sent updates about it');
    const status = await publicCases.statusFacts(trx, officeId, c.status.key);
    let note: string | null = null;
    if (u.kind === 'status_changed' && status && residentStatus(status.category, status.isInitial) !== u.resident_status) {
      return nobody('the status changed again before this update was sent');
    }
    if (u.kind === 'public_note') {
      const shared = u.note_id ? await sharedNote(trx, officeId, u.note_id) : undefined;
      if (!shared) return nobody('the note is no longer shared with the resident');
      note = shared.text;
    }
    const recipients = u.requester_told ? [] : recipientsOf(c);
    const followers = u.kind === 'status_changed' && await publicReports.isPublic(trx, officeId, c.id) ? await alerts.followersOf(trx, officeId, c.id) : [];
    if (u.requester_told && !followers.length) return finish([]);
    if (!recipients.length && !followers.length) return nobody('the case has no requester');
    const office = await offices.get(scope);
    const link = await caseTrackingLink(trx, office, c.id, publicUrl);
    const content = { status: u.resident_status, note, link };
    const outcomes: RecipientOutcome[] = [];
    let deferTo: Date | null = null;
    for (const r of recipients) {
      const person = await constituents.get(scope, r.constituentId);
      const route = await routeFor(trx, officeId, person);
      if ('reason' in route) {
        outcomes.push({ constituentId: person.id, role: r.role, skipped: route.reason });
        continue;
      }
      const quiet = route.channel === 'sms' ? quietUntil(now, office.timeZone) : null;
      if (quiet) {
        deferTo = quiet;
        outcomes.push({ constituentId: person.id, role: r.role, channel: 'sms', deferredUntil: quiet.toISOString() });
        continue;
      }
      outcomes.push(await messageFor(trx, scope, u, c, person, route, content, office));
    }
    for (const f of followers) outcomes.push(await followerMessage(trx, scope, u, c, f, content.status, office, publicUrl, now));
    if (deferTo) {
      await repo.defer(trx, officeId, u.id, deferTo, outcomes);
      await enqueueSend(trx, { officeId, id: u.id }, deferTo);
      return 'deferred';
    }
    return finish(outcomes);
  });
}

/** Sends updates that are due and whose job went missing (queued where no queue ran, or lost). */
export async function sweepUpdates(database: Pick<Database, 'db'>, publicUrl: string, now = new Date()): Promise<number> {
  const due = await repo.due(database.db, now, new Date(now.getTime() - 2 * 60_000), 200);
  for (const d of due) await sendUpdate(database, d.office_id, d.id, publicUrl, now);
  return due.length;
}
