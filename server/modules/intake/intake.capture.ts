// Staff quick capture and the generic webhook. A capture (a phone call, voicemail, walk-in,
// event or social-media contact) is one flow in one transaction: the person is the given
// constituent, else the one with that email/phone, else a new record; the posted JSON is
// stored through receive() under the client token and processed at once, so it lands on the
// chosen case or opens one and shows in the inbox and on the case timeline; a follow-up
// becomes a task on the case. A resubmit with the same token answers the first result; requests
// with one token are serialised on it, and a token reused for a different contact is refused.
// Recording a person or a task needs the permission those modules ask for, not just inbox.work.
// The webhook stores a message from another tool for the processing job, like an email.
import { SOCIAL_SOURCES, ZCapture, ZWebhookMessage, type Capture, type CaptureResult, type WebhookMessage } from '../../../contract/web-intake.js';
import { inTransaction, type Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as cases from '../cases/cases.service.js';
import * as senders from '../constituents/constituents.intake.js';
import { normalizePhone } from '../constituents/constituents.normalize.js';
import * as constituents from '../constituents/constituents.service.js';
import * as offices from '../offices/offices.service.js';
import * as tasks from '../tasks/tasks.service.js';
import * as repo from './intake.repo.js';
import { processItem, receive } from './intake.service.js';
import { sameRequest } from './intake.web-form.js';
import * as webRepo from './intake.web-repo.js';

type Viewer = cases.Viewer;
/** What the caller may do beyond inbox.work: record a person (constituent.write), add a task (case.write). */
export type CaptureRights = { canCreatePerson: boolean; canCreateTask: boolean };

async function e164(scope: Scope, phone: string | undefined, field: string): Promise<string | null> {
  if (!phone) return null;
  const p = normalizePhone(phone, (await offices.get(scope)).defaultRegion);
  if (!p.ok) throw new DomainError('validation_failed', { field, message: `The phone number ${p.reason}` });
  return p.e164;
}

/** A missing row named in the body is a problem with that field (as for other body ids). */
async function mustExist<T>(field: string, what: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'not_found') throw new DomainError('validation_failed', { field, message: `No such ${what} in this office` });
    throw err;
  }
}

async function resultOf(trx: Trx, officeId: string, itemId: string, duplicate: boolean): Promise<CaptureResult> {
  const o = await webRepo.outcome(trx, officeId, itemId);
  if (!o.case_id || !o.reference) throw new DomainError('conflict', { message: `This contact was stored but is ${o.status.replace('_', ' ')}; see it in the inbox` });
  const taskId = (o.details as { taskId?: string } | null)?.taskId ?? null;
  return { itemId, caseId: o.case_id, reference: o.reference, constituentId: o.constituent_id, taskId, duplicate };
}

/** The person of a capture: the given record, else the one with that email or phone, else a new one. */
async function personOf(scope: Scope, rights: CaptureRights, v: ReturnType<typeof ZCapture.parse>, phone: string | null): Promise<string | null> {
  if (v.constituentId) return (await mustExist('constituentId', 'constituent', () => constituents.get(scope, v.constituentId!))).id;
  if (!v.person) return null;
  const found = await senders.findSender(scope.db, scope.officeId, { email: v.person.email ?? null, phone });
  if (found) return found.id;
  if (!rights.canCreatePerson) throw new DomainError('forbidden', { field: 'person', message: 'You need the "constituent.write" permission to record a new person; choose an existing one' });
  const name = senders.nameOf(v.person.name, { email: v.person.email ?? null, phone });
  const created = await constituents.create(scope, {
    givenName: name.given_name ?? undefined, familyName: name.family_name, ignoreDuplicates: true,
    emails: v.person.email ? [{ email: v.person.email, isPrimary: true }] : [], phones: phone ? [{ number: phone, isPrimary: true }] : [],
  });
  return created.id;
}

export async function capture(scope: Scope, viewer: Viewer, rights: CaptureRights, jobs: Jobs | undefined, input: Capture): Promise<CaptureResult> {
  const v = ZCapture.parse(input);
  const raw = Buffer.from(JSON.stringify(v));
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    // Held to the end of the transaction: a concurrent request with this token waits and then finds this one's item.
    await webRepo.lockKey(trx, scope.officeId, v.channel, v.clientToken);
    const known = await webRepo.byKey(trx, scope.officeId, v.channel, v.clientToken);
    if (known) return resultOf(trx, scope.officeId, sameRequest(known, raw).id, true);
    if (v.followUp && !rights.canCreateTask) throw new DomainError('forbidden', { field: 'followUp', message: 'You need the "case.write" permission to add a follow-up task' });
    if (v.caseId) {
      const target = await mustExist('caseId', 'case', () => cases.lockVisible(trx, s, viewer, v.caseId!));
      if (target.closed_at) throw new DomainError('conflict', { field: 'caseId', message: `Case ${target.reference} is closed; open a new case for this contact` });
    }
    if (v.newCase?.categoryId) await categories.assertUsable(trx, scope.officeId, v.newCase.categoryId, 'newCase.categoryId');
    const phone = await e164(s, v.person?.phone, 'person.phone');
    const constituentId = await personOf(s, rights, v, phone);
    const stored = await receive(trx, jobs, scope.officeId, {
      channel: v.channel, source: 'staff', key: v.clientToken, raw, rawType: 'application/json',
      details: { constituentId, phone, capturedBy: scope.actor.label },
    });
    // Unreachable under the lock; never let a second request overwrite the first one's outcome.
    if (stored.duplicate) throw new DomainError('conflict', { field: 'clientToken', message: 'This clientToken is being used by another request; send again' });
    await processItem(trx, scope.officeId, stored.id);
    const out = await webRepo.outcome(trx, scope.officeId, stored.id);
    let taskId: string | null = null;
    if (v.followUp && out.case_id) {
      taskId = (await tasks.create(s, viewer, out.case_id, { title: v.followUp.title, dueOn: v.followUp.dueOn ?? null })).id;
    }
    await repo.update(trx, scope.officeId, stored.id, { handled_by_label: scope.actor.label, details: JSON.stringify({ ...(out.details as object), taskId }) });
    return resultOf(trx, scope.officeId, stored.id, false);
  });
}

const RESERVED_SOURCES = new Set(['staff', 'form', 'smtp', 'imap', 'http']);

/** Stores a message another tool posts (a social-media bridge, a chat tool) for processing. */
export async function receiveWebhook(scope: Scope, jobs: Jobs | undefined, input: WebhookMessage) {
  const v = ZWebhookMessage.parse(input);
  if (RESERVED_SOURCES.has(v.source)) throw new DomainError('validation_failed', { field: 'source', message: `"${v.source}" is reserved for Civitas's own channels; name your tool` });
  const channel = (SOCIAL_SOURCES as readonly string[]).includes(v.source) ? 'social' as const : 'webhook' as const;
  const phone = await e164(scope, v.from.phone, 'from.phone');
  const r = await receive(scope.db, jobs, scope.officeId, {
    channel, source: v.source, key: `${v.source}:${v.externalId}`, raw: Buffer.from(JSON.stringify(v)), rawType: 'application/json', details: { phone },
  });
  return { ...r, channel };
}
