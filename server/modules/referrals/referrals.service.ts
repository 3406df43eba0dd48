// Referrals of a case to an agency: draft → sent → responded → closed, with dated follow-ups
// (chased, the agency's reply, notes). Sending needs the requester's signed privacy release
// when the agency or the case's category requires one; the refusal names the reason and
// writes nothing. Every change is audited with the case id, so it shows on the timeline.
import { z } from 'zod';
import {
  ZCreateFollowUp, ZCreateReferral, ZReferralListQuery, ZSendReferral, ZUpdateReferral,
  type CreateFollowUp, type CreateReferral, type Referral,
} from '../../../contract/referrals.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, page } from '../../platform/http/pagination.js';
import { actingUserId, withDb, type Scope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import { visibleCase } from '../cases/cases.access.js';
import type { Viewer } from '../cases/cases.service.js';
import * as agencies from './referrals.agencies.js';
import * as releases from './referrals.releases.js';
import * as releasesRepo from './referrals.releases-repo.js';
import * as repo from './referrals.repo.js';

type FollowUpRow = Awaited<ReturnType<typeof repo.followUpsOf>>[number];

function present(r: repo.ReferralRow, followUps: FollowUpRow[]): Referral {
  return {
    id: r.id, caseId: r.case_id, caseReference: r.case_reference, agency: { id: r.agency_id, name: r.agency_name, requiresPrivacyRelease: r.requires_privacy_release },
    contact: r.contact, summary: r.summary, status: r.status as Referral['status'], sentAt: r.sent_at?.toISOString() ?? null, theirReference: r.their_reference,
    expectedResponseOn: r.expected_response_on, respondedAt: r.responded_at?.toISOString() ?? null, closedAt: r.closed_at?.toISOString() ?? null,
    isOverdue: r.is_overdue, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
    followUps: followUps.filter((f) => f.referral_id === r.id).map((f) => ({
      id: f.id, kind: f.kind as Referral['followUps'][number]['kind'], occurredOn: f.occurred_on, body: f.body, createdBy: f.created_by_name ?? null, createdAt: f.created_at.toISOString(),
    })),
  };
}

async function presentAll(db: Executor, officeId: string, rows: repo.ReferralRow[]): Promise<Referral[]> {
  const followUps = await repo.followUpsOf(db, officeId, rows.map((r) => r.id));
  return rows.map((r) => present(r, followUps));
}

async function load(db: Executor, officeId: string, id: string): Promise<Referral> {
  const [r] = await presentAll(db, officeId, [(await repo.get(db, officeId, id))!]);
  return r!;
}

const notFound = () => new DomainError('not_found', { message: 'No such referral in this office' });

/** Locks a referral whose case the viewer may see (404 otherwise, as for the case). */
async function lockVisible(scope: Scope, viewer: Viewer, id: string) {
  const row = await repo.lock(scope.db, scope.officeId, id);
  if (!row) throw notFound();
  await visibleCase(scope.db, scope, viewer, row.case_id).catch((err: unknown) => {
    throw err instanceof DomainError && err.code === 'not_found' ? notFound() : err;
  });
  return row;
}

export async function forCase(scope: Scope, viewer: Viewer, caseId: string) {
  const c = await releases.visibleCase(scope, viewer, caseId);
  const requester = c.requester ? { id: c.requester.id, name: c.requester.name } : null;
  return {
    referrals: await presentAll(scope.db, scope.officeId, await repo.ofCase(scope.db, scope.officeId, caseId)),
    releases: await releases.listForCase(scope.db, scope.officeId, caseId),
    requester,
    categoryRequiresRelease: await categories.requiresPrivacyRelease(scope.db, scope.officeId, c.category?.id ?? null),
  };
}

export async function list(scope: Scope, viewer: Viewer, q: z.infer<typeof ZReferralListQuery>): Promise<Page<Referral>> {
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, { overdue: q.overdue, status: q.status, agencyId: q.agency, includeSensitive: viewer.canSeeSensitive, beforeId: after?.[0], limit: q.limit });
  const p = page(rows, q.limit, (r) => [r.id]);
  return { items: await presentAll(scope.db, scope.officeId, p.items), nextCursor: p.nextCursor };
}

export async function create(scope: Scope, viewer: Viewer, caseId: string, input: CreateReferral): Promise<Referral> {
  const v = ZCreateReferral.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const c = await releases.visibleCase(s, viewer, caseId);
    const agency = await agencies.usable(trx, scope.officeId, v.agencyId);
    const { id } = await repo.insert(trx, scope.officeId, {
      case_id: caseId, agency_id: agency.id, contact: v.contact ?? agency.contact_name, summary: v.summary, their_reference: v.theirReference,
      expected_response_on: v.expectedResponseOn, created_by: actingUserId(scope),
    });
    const created = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, { entity: 'referral', id, action: 'created', caseId, after: { ...created, followUps: undefined, whatWasSent: created.summary, summary: `Referral to ${agency.name} drafted (${c.reference})` } });
    return created;
  });
}

export async function update(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZUpdateReferral>): Promise<Referral> {
  const v = ZUpdateReferral.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(withDb(scope, trx), viewer, id);
    if (row.status === 'closed') throw new DomainError('conflict', { message: 'This referral is closed' });
    const before = await load(trx, scope.officeId, id);
    await repo.update(trx, scope.officeId, id, { contact: v.contact, summary: v.summary, their_reference: v.theirReference, expected_response_on: v.expectedResponseOn });
    const after = await load(trx, scope.officeId, id);
    const keys = (['contact', 'summary', 'theirReference', 'expectedResponseOn'] as const).filter((k) => before[k] !== after[k]);
    await audit.record(trx, scope, {
      entity: 'referral', id, action: 'updated', caseId: row.case_id, before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: { ...Object.fromEntries(keys.map((k) => [k, after[k]])), summary: `Referral to ${after.agency.name} edited: ${keys.join(', ') || 'no visible change'}` },
    });
    return after;
  });
}

/** Why a referral cannot be sent without a release, or null when none is needed. */
function releaseReason(agency: { name: string; requires_privacy_release: boolean }, categoryRequires: boolean): string | null {
  if (agency.requires_privacy_release) return `${agency.name} requires the constituent's privacy release`;
  return categoryRequires ? "The case's category requires the constituent's privacy release" : null;
}

export async function send(scope: Scope, viewer: Viewer, id: string, input: z.input<typeof ZSendReferral>): Promise<Referral> {
  const v = ZSendReferral.parse(input);
  const sentAt = v.sentAt ? new Date(v.sentAt) : new Date();
  if (sentAt.getTime() > Date.now() + 5 * 60_000) throw new DomainError('validation_failed', { field: 'sentAt', message: 'cannot be in the future' });
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(withDb(scope, trx), viewer, id);
    const c = await releases.visibleCase(withDb(scope, trx), viewer, row.case_id); // its requester
    if (row.status !== 'draft') throw new DomainError('conflict', { message: `This referral was already ${row.status}` });
    const agency = await agencies.usable(trx, scope.officeId, row.agency_id);
    const reason = releaseReason(agency, await categories.requiresPrivacyRelease(trx, scope.officeId, c.category?.id ?? null));
    let releaseId: string | null = null;
    if (reason) {
      if (!c.requester) throw new DomainError('privacy_release_required', { message: `${reason}, and the case has no requester to sign one`, extra: { reason: 'privacy_release_required', agencyId: agency.id } });
      const valid = await releasesRepo.validFor(trx, scope.officeId, c.id, c.requester.id, agency.id);
      if (!valid) {
        throw new DomainError('privacy_release_required', {
          message: `${reason}: ${c.requester.name} has no signed release on ${c.reference}${agency.requires_privacy_release ? ` covering ${agency.name}` : ''}. Request an e-signature or upload the signed paper form first.`,
          extra: { reason: 'privacy_release_required', agencyId: agency.id, constituentId: c.requester.id },
        });
      }
      releaseId = valid.id;
    }
    await repo.update(trx, scope.officeId, id, {
      status: 'sent', sent_at: sentAt, privacy_release_id: releaseId,
      ...(v.theirReference !== undefined ? { their_reference: v.theirReference } : {}), ...(v.expectedResponseOn !== undefined ? { expected_response_on: v.expectedResponseOn } : {}),
    });
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'referral', id, action: 'sent', caseId: c.id, before: { status: 'draft' },
      after: { status: 'sent', sentAt: after.sentAt, privacyReleaseId: releaseId, expectedResponseOn: after.expectedResponseOn, summary: `Referral sent to ${agency.name}${after.expectedResponseOn ? ` (reply expected by ${after.expectedResponseOn})` : ''}` },
    });
    return after;
  });
}

const FOLLOW_UP_LABEL = { chased: 'chased', agency_replied: 'agency replied', note: 'note' } as const;

export async function addFollowUp(scope: Scope, viewer: Viewer, id: string, input: CreateFollowUp): Promise<Referral> {
  const v = ZCreateFollowUp.parse(input);
  if (v.occurredOn > new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)) throw new DomainError('validation_failed', { field: 'occurredOn', message: 'cannot be in the future' });
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(withDb(scope, trx), viewer, id);
    if (row.status === 'closed') throw new DomainError('conflict', { message: 'This referral is closed; reopen work in a new referral' });
    if (row.status === 'draft' && v.kind !== 'note') throw new DomainError('conflict', { field: 'kind', message: 'Send the referral before logging a chase or a reply' });
    const { id: followUpId } = await repo.insertFollowUp(trx, scope.officeId, { referral_id: id, kind: v.kind, occurred_on: v.occurredOn, body: v.body, created_by: actingUserId(scope) });
    if (v.kind === 'agency_replied' && row.status === 'sent') await repo.update(trx, scope.officeId, id, { status: 'responded', responded_at: new Date() });
    else await repo.update(trx, scope.officeId, id, {});
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'referral', id, action: v.kind, caseId: row.case_id, before: { status: row.status },
      after: { followUpId, kind: v.kind, occurredOn: v.occurredOn, body: v.body, status: after.status, summary: `Referral to ${after.agency.name}: ${FOLLOW_UP_LABEL[v.kind]} (${v.occurredOn})${v.body ? `: ${v.body.slice(0, 200)}` : ''}` },
    });
    return after;
  });
}

export async function close(scope: Scope, viewer: Viewer, id: string, input: { comment?: string | undefined }): Promise<Referral> {
  return inTransaction(scope.db, async (trx) => {
    const row = await lockVisible(withDb(scope, trx), viewer, id);
    if (row.status === 'closed') throw new DomainError('conflict', { message: 'This referral is already closed' });
    await repo.update(trx, scope.officeId, id, { status: 'closed', closed_at: new Date() });
    const after = await load(trx, scope.officeId, id);
    await audit.record(trx, scope, {
      entity: 'referral', id, action: 'closed', caseId: row.case_id, before: { status: row.status },
      after: { status: 'closed', comment: input.comment ?? null, summary: `Referral to ${after.agency.name} closed${input.comment ? `: ${input.comment}` : ''}` },
    });
    return after;
  });
}
