// Privacy releases on a case, staff side: request an electronic signature (a single-use
// link whose token is shown once and kept only as a hash, emailed through the outbox when
// the person has an address we may use), record a scanned paper form, revoke, download the
// document, and verify a signed release against its content hash.
import { createHash } from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Readable } from 'node:stream';
import type { Case } from '../../../contract/cases.js';
import { ZCreateReleaseRequest, type CreateReleaseRequest, type PrivacyRelease } from '../../../contract/referrals.js';
import * as audit from '../../platform/audit/audit.js';
import { randomSecret, sha256 } from '../../platform/auth/secrets.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { actingUserId, withDb, type Scope } from '../../platform/scope.js';
import { currentStorage, newStorageKey } from '../../platform/storage.js';
import * as access from '../cases/cases.access.js';
import * as cases from '../cases/cases.service.js';
import * as offices from '../offices/offices.service.js';
import type { Viewer } from '../cases/cases.service.js';
import * as constituents from '../constituents/constituents.service.js';
import { enqueueEmail } from '../messages/messages.outbox.js';
import * as agencies from './referrals.agencies.js';
import { canonicalJson, contentHash, type SignedFields } from './referrals.release-hash.js';
import * as repo from './referrals.releases-repo.js';
import * as settings from './referrals.settings.js';
import { emailDecision } from '../messages/messages.replies.js';
import { releasePath } from '../portal/portal.addresses.js';

/** Links are looked up by the SHA-256 of their token; the token itself is never stored. */
export const hashToken = (token: string) => sha256(token);

export function statusOf(r: { status: string; expires_at: Date | null }, now = new Date()): PrivacyRelease['status'] {
  if (r.status === 'pending' && r.expires_at && r.expires_at.getTime() <= now.getTime()) return 'expired';
  return r.status as PrivacyRelease['status'];
}

export function present(r: repo.ReleaseRow): PrivacyRelease {
  return {
    id: r.id, caseId: r.case_id, constituent: { id: r.constituent_id, name: r.constituent_name },
    agency: r.agency_id ? { id: r.agency_id, name: r.agency_name ?? '' } : null, method: r.method as PrivacyRelease['method'], status: statusOf(r),
    expiresAt: r.expires_at?.toISOString() ?? null, signedAt: r.signed_at?.toISOString() ?? null, typedName: r.typed_name,
    signedDate: r.signed_day ?? null, contentHash: r.content_hash,
    document: r.file_key ? { name: r.file_name ?? 'release', type: r.file_type ?? 'application/octet-stream', size: Number(r.file_size ?? 0) } : null,
    createdBy: r.created_by_name ?? null, createdAt: r.created_at.toISOString(), revokedAt: r.revoked_at?.toISOString() ?? null,
  };
}

/** The case as the viewer may see it (404 otherwise); reads of sensitive cases are logged by casework. */
/** The case with its people, for the actions that need them (404 when the viewer may not see it). */
export const visibleCase = (scope: Scope, viewer: Viewer, caseId: string): Promise<Case> => cases.get(scope, viewer, caseId);

function assertOnCase(c: Case, constituentId: string, field = 'constituentId'): Case['constituents'][number] {
  const person = c.constituents.find((p) => p.id === constituentId);
  if (!person) throw new DomainError('validation_failed', { field, message: `That person is not on case ${c.reference}` });
  return person;
}


async function reload(db: Executor, officeId: string, caseId: string, id: string): Promise<PrivacyRelease> {
  return present((await repo.get(db, officeId, caseId, id))!);
}

export async function listForCase(db: Executor, officeId: string, caseId: string): Promise<PrivacyRelease[]> {
  return (await repo.ofCase(db, officeId, caseId)).map(present);
}

/** The address a signing link may be emailed to, or null (none on record, or contact not allowed). */
async function emailFor(scope: Scope, constituentId: string): Promise<string | null> {
  const d = await emailDecision(scope.db, scope.officeId, await constituents.get(scope, constituentId));
  return d.reason === null ? d.to : null;
}

export async function requestSignature(scope: Scope, viewer: Viewer, caseId: string, input: CreateReleaseRequest, publicUrl: string) {
  const v = ZCreateReleaseRequest.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const c = await visibleCase(s, viewer, caseId);
    const person = assertOnCase(c, v.constituentId);
    const agency = v.agencyId ? await agencies.usable(trx, scope.officeId, v.agencyId) : null;
    const office = await offices.get(s);
    const conf = await settings.get(trx, scope.officeId);
    const consentText = settings.renderConsent(conf.consentText ?? conf.defaultConsentText, { office: office.name, agency: agency?.name ?? null, caseReference: c.reference, name: person.displayName });
    // 256 random bits; only the hash is stored, so a database reader cannot sign.
    const token = randomSecret();
    const expiresAt = new Date(Date.now() + conf.linkExpiryDays * 86_400_000);
    const { id } = await repo.insert(trx, scope.officeId, {
      case_id: caseId, constituent_id: v.constituentId, agency_id: agency?.id ?? null, method: 'electronic', status: 'pending',
      token_hash: hashToken(token), expires_at: expiresAt, consent_text: consentText, created_by: actingUserId(scope),
    });
    const release = await reload(trx, scope.officeId, caseId, id);
    // The page is the resident portal's, under the office's address, in the resident's language.
    const signingUrl = `${publicUrl}${releasePath(office.slug, token)}`;
    await audit.record(trx, scope, {
      entity: 'privacy_release', id, action: 'requested', caseId, constituentId: v.constituentId,
      after: { summary: `Privacy release requested from ${person.displayName}${agency ? ` for ${agency.name}` : ''} (e-signature, link valid until ${expiresAt.toISOString().slice(0, 10)})`, agencyId: agency?.id ?? null, expiresAt },
    });
    const to = await emailFor(s, v.constituentId);
    if (to) {
      await enqueueEmail(trx, s, {
        to, caseId, constituentId: v.constituentId, kind: 'privacy_release', dedupeKey: `privacy_release:${id}`,
        subject: `Your consent for case ${c.reference}: ${office.name}`,
        text: `Dear ${person.displayName},\n\nTo take your case ${c.reference} further, ${office.name} needs your permission to share it${agency ? ` with ${agency.name}` : ' with the agencies that can help'}.\n\n` +
          `Please read and sign the consent form here:\n${signingUrl}\n\nThe link works once and until ${expiresAt.toISOString().slice(0, 10)}. If you did not expect this message, you can ignore it.\n\n${office.name}`,
      });
    }
    return { release, signingUrl, emailed: to !== null };
  });
}

export const MAX_PAPER_BYTES = 10 * 2 ** 20;
const EXTENSION: Record<string, string> = { 'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg' };

export async function uploadPaper(
  scope: Scope, viewer: Viewer, caseId: string, q: { constituentId: string; agencyId?: string | undefined; fileName: string }, type: string, body: Buffer,
): Promise<PrivacyRelease> {
  if (!EXTENSION[type]) throw new DomainError('unsupported_media_type', { message: 'Upload the signed form as a PDF, PNG or JPEG file' });
  if (body.length === 0) throw new DomainError('validation_failed', { field: 'file', message: 'The file is empty' });
  // The content, not the declared type, decides (a renamed file is refused).
  if ((await fileTypeFromBuffer(body))?.mime !== type) throw new DomainError('unsupported_media_type', { field: 'file', message: `The file is not a ${EXTENSION[type]!.toUpperCase()} file` });
  const storage = currentStorage();
  // Checked before storing, so a refused upload leaves no file behind.
  const c = await visibleCase(scope, viewer, caseId);
  assertOnCase(c, q.constituentId);
  if (q.agencyId) await agencies.usable(scope.db, scope.officeId, q.agencyId);
  const key = newStorageKey('releases', scope.officeId);
  const stored = await storage.put(key, body, { contentType: type, maxBytes: MAX_PAPER_BYTES });
  try {
    return await inTransaction(scope.db, async (trx) => {
      const s = withDb(scope, trx);
      const again = await visibleCase(s, viewer, caseId);
      const person = assertOnCase(again, q.constituentId);
      const { id } = await repo.insert(trx, scope.officeId, {
        case_id: caseId, constituent_id: q.constituentId, agency_id: q.agencyId ?? null, method: 'paper', status: 'signed', signed_at: new Date(),
        file_key: key, file_name: q.fileName, file_type: type, file_size: stored.size, file_sha256: stored.sha256, created_by: actingUserId(scope),
      });
      await audit.record(trx, scope, {
        entity: 'privacy_release', id, action: 'uploaded', caseId, constituentId: q.constituentId,
        after: { summary: `Signed paper privacy release of ${person.displayName} uploaded (${q.fileName})`, fileName: q.fileName, type, size: stored.size, sha256: stored.sha256 },
      });
      return reload(trx, scope.officeId, caseId, id);
    });
  } catch (err) {
    await storage.delete(key);
    throw err;
  }
}

async function lockOnCase(trx: Executor, officeId: string, caseId: string, id: string) {
  const row = await repo.lock(trx, officeId, id);
  if (!row || row.case_id !== caseId) throw new DomainError('not_found', { message: 'No such privacy release on this case' });
  return row;
}

/** Revokes a pending request (its link stops working) or withdraws a signed release. */
export async function revoke(scope: Scope, viewer: Viewer, caseId: string, id: string): Promise<PrivacyRelease> {
  return inTransaction(scope.db, async (trx) => {
    await access.visibleCase(trx, scope, viewer, caseId);
    const row = await lockOnCase(trx, scope.officeId, caseId, id);
    if (row.status === 'revoked') throw new DomainError('conflict', { message: 'This release is already revoked' });
    await repo.update(trx, scope.officeId, id, { status: 'revoked', revoked_at: new Date(), revoked_by: actingUserId(scope) });
    const after = await reload(trx, scope.officeId, caseId, id);
    await audit.record(trx, scope, {
      entity: 'privacy_release', id, action: 'revoked', caseId, constituentId: row.constituent_id, before: { status: statusOf(row) },
      after: { status: 'revoked', summary: `Privacy release of ${after.constituent.name} revoked${row.status === 'signed' ? ' (consent withdrawn)' : ' (signing link cancelled)'}` },
    });
    return after;
  });
}

export async function document(scope: Scope, viewer: Viewer, caseId: string, id: string): Promise<{ stream: Readable; name: string; type: string }> {
  await access.visibleCase(scope.db, scope, viewer, caseId, 'privacy release document');
  const row = await repo.get(scope.db, scope.officeId, caseId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such privacy release on this case' });
  if (!row.file_key) throw new DomainError('not_found', { message: 'This release has no document yet (it is not signed)' });
  const ext = EXTENSION[row.file_type ?? ''] ?? 'bin';
  const base = (row.file_name ?? 'release').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/\.(pdf|png|jpe?g)$/i, '');
  return { stream: await currentStorage().get(row.file_key), name: `${base}.${ext}`, type: row.file_type ?? 'application/octet-stream' };
}

/** The fields of a signed electronic release as stored, for hashing. */
export function storedFields(r: { case_reference: string; constituent_id: string; consent_text: string | null; typed_name: string | null; signed_day: string | null; signer_ip: string | null; signer_user_agent: string | null; signed_at: Date | null }): SignedFields {
  return {
    caseReference: r.case_reference, constituentId: r.constituent_id, consentText: r.consent_text ?? '', typedName: r.typed_name ?? '',
    signedDate: r.signed_day ?? '', ip: r.signer_ip ?? '', userAgent: r.signer_user_agent ?? '', signedAt: r.signed_at?.toISOString() ?? '',
  };
}

async function sha256Of(stream: Readable): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of stream) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function verify(scope: Scope, viewer: Viewer, caseId: string, id: string) {
  const c = await visibleCase(scope, viewer, caseId);
  const row = await repo.get(scope.db, scope.officeId, caseId, id);
  if (!row) throw new DomainError('not_found', { message: 'No such privacy release on this case' });
  if (!row.signed_at) throw new DomainError('conflict', { message: 'Only a signed release can be verified' });
  const documentMatches = row.file_key && row.file_sha256 ? (await sha256Of(await currentStorage().get(row.file_key))) === row.file_sha256 : null;
  if (row.method === 'paper') return { releaseId: id, method: 'paper' as const, hashMatches: null, storedHash: null, computedHash: null, documentMatches, canonical: null };
  const fields = storedFields({ ...row, case_reference: c.reference });
  const computed = contentHash(fields);
  await audit.record(scope.db, scope, { entity: 'privacy_release', id, action: 'verified', caseId, after: { summary: `Privacy release verified: ${computed === row.content_hash ? 'hash matches' : 'HASH MISMATCH'}`, hashMatches: computed === row.content_hash, documentMatches } });
  return { releaseId: id, method: 'electronic' as const, hashMatches: computed === row.content_hash, storedHash: row.content_hash, computedHash: computed, documentMatches, canonical: canonicalJson(fields) };
}
