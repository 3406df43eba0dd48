// The public request form: a resident's request is checked (honeypot, signed fill time,
// category, contact details, flood limits per client address and per email/phone), stored raw
// through receive() with the client token as its idempotency key, then processed at once so
// the answer can carry the case reference. A request caught by the honeypot is answered as if
// accepted but stored as spam and never becomes a case. A failure in processing leaves the
// item to its queued job. The resident portal sends its reports here too (with the resident's
// choices, `PortalChoices`), and its comments on a tracked request (submitComment), each with
// photos already checked and stripped by the portal: their bytes are stored before the item,
// which names them (hashes in its raw body, storage keys in its details), and they become the
// case's attachments when the item is filed; a refused or duplicate send removes them again.
import type { Config } from '../../config.js';
import type { Office } from '../../../contract/offices.js';
import type { PublicRequest } from '../../../contract/web-intake.js';
import { inTransaction, type Database } from '../../platform/db/database.js';
import { discardPending, storePending } from '../attachments/attachments.intake.js';
import { DomainError } from '../../platform/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import { normalizePhone } from '../constituents/constituents.normalize.js';
import * as geo from '../geo/geo.service.js';
import * as offices from '../offices/offices.service.js';
import { checkFormToken, clientHash, issueFormToken } from './intake.form-token.js';
import { settingsOf } from './intake.public-form.js';
import { runProcessing } from './intake.jobs.js';
import * as repo from './intake.repo.js';
import { receive } from './intake.service.js';
import type { PortalChoices, StoredPhoto, StoredWebComment, StoredWebRequest } from './intake.web-readers.js';
import * as webRepo from './intake.web-repo.js';

export type FormDeps = { database: Database; jobs: Jobs | undefined; limits: Config['intakeForm']; log: { info(o: object | string, m?: string): void; error(o: object, m?: string): void } };
export type PublicOffice = Pick<Office, 'id' | 'slug' | 'name' | 'defaultRegion' | 'timeZone' | 'locale' | 'branding'> & { categoryIds: string[] | null };
export type FormOutcome = { reference: string | null; status: 'filed' | 'received'; duplicate: boolean; itemId: string };
/** A photo to keep with a request or comment: already checked, its metadata removed, `sha256` of these bytes. */
export type PhotoUpload = StoredPhoto & { bytes: Buffer };

const photoNames = (photos: readonly PhotoUpload[]): { photos?: StoredPhoto[] } =>
  photos.length ? { photos: photos.map(({ fileName, contentType, size, sha256 }) => ({ fileName, contentType, size, sha256 })) } : {};

export async function officeOf(db: Database['db'], slug: string): Promise<PublicOffice> {
  const office = await offices.getBySlug(db, slug);
  // An office whose form is off answers as if there were none: it has no public surface.
  const settings = office ? await settingsOf(db, office.id) : null;
  if (!office || !settings?.enabled) throw new DomainError('not_found', { message: 'There is no request form at this address' });
  return {
    id: office.id, slug: office.slug, name: office.name, defaultRegion: office.defaultRegion, timeZone: office.timeZone, locale: office.locale, branding: office.branding,
    categoryIds: settings.categoryIds,
  };
}

/** The categories the form offers: the office's chosen ones that are still current, else every current one. */
async function offered(db: Database['db'], office: PublicOffice) {
  const items = await categories.list(systemScope(db, office.id, 'public form'), { includeRetired: false });
  const shown = office.categoryIds ? new Set(office.categoryIds) : null;
  return shown ? items.filter((c) => shown.has(c.id)) : items;
}

/** What the form offers: its categories and a freshly signed form token. */
export async function formInfo(db: Database['db'], office: PublicOffice, minFillSeconds: number) {
  const items = await offered(db, office);
  return {
    office: { slug: office.slug, name: office.name },
    items: items.map((c) => ({ id: c.id, name: c.name, path: c.path })),
    formToken: await issueFormToken(db, office.id),
    minFillSeconds,
  };
}

async function outcomeOf(deps: FormDeps, officeId: string, id: string, duplicate: boolean): Promise<FormOutcome> {
  const row = await webRepo.outcome(deps.database.db, officeId, id);
  // A request caught as spam looks like one still waiting to be processed.
  return row.status === 'filed' && row.reference ? { reference: row.reference, status: 'filed', duplicate, itemId: id } : { reference: null, status: 'received', duplicate, itemId: id };
}

function contact(office: PublicOffice, r: PublicRequest): { email: string | null; phone: string | null } {
  let phone: string | null = null;
  if (r.phone) {
    const p = normalizePhone(r.phone, office.defaultRegion);
    if (!p.ok) throw new DomainError('validation_failed', { field: 'phone', message: `The phone number ${p.reason}` });
    phone = p.e164;
  }
  return { email: r.email?.toLowerCase() ?? null, phone };
}

/** A resubmit must be the same request: a token reused for a different one is refused, not answered with another's reference. */
export function sameRequest<T extends { raw: Buffer }>(known: T, raw: Buffer): T {
  if (!known.raw.equals(raw)) {
    throw new DomainError('conflict', { field: 'clientToken', message: 'This clientToken was already used for a different request; send a new one with a fresh clientToken' });
  }
  return known;
}

/**
 * Counts a submission from this client address, refusing it (429) once the address has sent
 * perIpPerHour in its current window. The count is in the database, so every app node, and
 * one restarted, counts the same submissions.
 */
export async function countFromAddress(deps: Pick<FormDeps, 'database' | 'limits'>, officeId: string, ip: string): Promise<void> {
  const { db } = deps.database;
  const { hits, secondsLeft } = await webRepo.countFormHit(db, officeId, await clientHash(db, officeId, ip), webRepo.ADDRESS_WINDOW_SECONDS);
  if (hits <= deps.limits.perIpPerHour) return;
  throw new DomainError('rate_limited', { message: `Rate limit of ${deps.limits.perIpPerHour} requests per hour exceeded`, extra: { retryAfterSeconds: Math.max(1, secondsLeft) } });
}

async function checkFlood(deps: FormDeps, officeId: string, sender: string): Promise<void> {
  const hour = 3600_000;
  const { n, first } = await webRepo.fromSenderSince(deps.database.db, officeId, 'web', sender, new Date(Date.now() - hour));
  if (n < deps.limits.perEmailPerHour) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(((first?.getTime() ?? Date.now()) + hour - Date.now()) / 1000));
  throw new DomainError('rate_limited', {
    // Says nothing of how many requests came from this address: that would tell anyone who types it.
    message: 'We cannot take another request from these contact details just now; please try again later or contact the office directly',
    field: 'email', extra: { retryAfterSeconds },
  });
}

/** A point must lie in the office's area when the office has drawn one (its wards). */
async function checkPlace(db: Database['db'], officeId: string, lat: number | null, lng: number | null): Promise<void> {
  if (lat === null || lng === null || !(await geo.isOutsideWards(db, officeId, lat, lng))) return;
  throw new DomainError('validation_failed', { field: 'lat', message: 'The place you marked is outside the area this office serves; mark a place inside it, or leave the point out and describe the place' });
}

/**
 * Stores the photos, then the item naming them, and, unless it was already stored, processes
 * it at once (a failure leaves it to its queued job). Photos no stored item names are removed.
 */
async function storeAndProcess(deps: FormDeps, officeId: string, key: string, raw: Buffer, details: Record<string, unknown>, photos: readonly PhotoUpload[] = []): Promise<{ id: string; duplicate: boolean }> {
  const files = await storePending(officeId, photos);
  let s: { id: string; duplicate: boolean };
  try {
    s = await receive(deps.database.db, deps.jobs, officeId, { channel: 'web', source: 'form', key, raw, rawType: 'application/json', details: { ...details, ...(files.length ? { photos: files } : {}) } });
  } catch (err) {
    await discardPending(files);
    throw err;
  }
  if (s.duplicate) {
    // Two sends racing with one token: the winner's item names its own copies of the photos,
    // and the loser is answered from the winner if it is the same request.
    await discardPending(files);
    sameRequest((await webRepo.byKey(deps.database.db, officeId, 'web', key))!, raw);
    return s;
  }
  try {
    await runProcessing(deps.database, { officeId, id: s.id }, 1, deps.log);
  } catch {
    // Kept and queued: the job retries it; the answer says it is received.
  }
  return s;
}

export async function submit(deps: FormDeps, office: PublicOffice, r: PublicRequest, meta: { ip: string; userAgent: string }, portal?: PortalChoices, photos: readonly PhotoUpload[] = []): Promise<FormOutcome> {
  const { db } = deps.database;
  const details = { ip: meta.ip, userAgent: meta.userAgent.slice(0, 300) };
  if (r.website?.trim()) {
    // The honeypot: stored for the record, as spam, in the transaction that stores it (so the queued job finds nothing to do).
    const stored = await inTransaction(db, async (trx) => {
      const s = await receive(trx, deps.jobs, office.id, {
        channel: 'web', source: 'form', key: r.clientToken, raw: Buffer.from(JSON.stringify(r)), rawType: 'application/json', details: { ...details, spam: 'honeypot' },
      });
      if (!s.duplicate) await repo.update(trx, office.id, s.id, { status: 'spam', kind: 'message', sender_name: r.name.slice(0, 300), body_text: r.description, handled_by_label: 'honeypot' });
      return s;
    });
    deps.log.info({ officeId: office.id, itemId: stored.id }, 'web form request caught by the honeypot');
    return { reference: null, status: 'received', duplicate: stored.duplicate, itemId: stored.id };
  }
  await checkFormToken(db, office.id, r.formToken, deps.limits.minSeconds);
  const { email, phone } = contact(office, r);
  const stored: StoredWebRequest = {
    name: r.name, email, phone, address: r.address ?? null, lat: r.lat ?? null, lng: r.lng ?? null, categoryId: r.categoryId ?? null, description: r.description,
    ...(portal ? { portal } : {}), ...photoNames(photos),
  };
  const raw = Buffer.from(JSON.stringify(stored));
  const known = await webRepo.byKey(db, office.id, 'web', r.clientToken);
  if (known) return outcomeOf(deps, office.id, sameRequest(known, raw).id, true);

  if (r.categoryId) await categories.assertUsable(db, office.id, r.categoryId);
  if (r.categoryId && office.categoryIds && !office.categoryIds.includes(r.categoryId)) {
    throw new DomainError('validation_failed', { field: 'categoryId', message: 'This form does not offer that category; choose one from the list' });
  }
  await checkPlace(db, office.id, stored.lat, stored.lng);
  await checkFlood(deps, office.id, email ?? phone!);
  const s = await storeAndProcess(deps, office.id, r.clientToken, raw, details, photos);
  return outcomeOf(deps, office.id, s.id, s.duplicate);
}

/**
 * A resident's comment on the request they track (its stored item, which must be on a case):
 * stored raw under its client token, then threaded into the case as a message from the
 * request's sender. Returns whether it was stored before (a resubmit).
 */
export async function submitComment(
  deps: FormDeps, office: PublicOffice, c: { requestItemId: string; text: string; clientToken: string; formToken: string }, meta: { ip: string }, photos: readonly PhotoUpload[] = [],
): Promise<{ duplicate: boolean }> {
  const { db } = deps.database;
  await checkFormToken(db, office.id, c.formToken, 0);
  const request = await repo.get(db, office.id, c.requestItemId);
  if (!request?.case_id || request.channel !== 'web') throw new DomainError('not_found', { message: 'There is no request to comment on at this address' });
  const stored: StoredWebComment = {
    kind: 'comment', caseId: request.case_id, requestItemId: request.id, constituentId: request.constituent_id, senderName: request.sender_name, text: c.text, ...photoNames(photos),
  };
  const raw = Buffer.from(JSON.stringify(stored));
  const known = await webRepo.byKey(db, office.id, 'web', c.clientToken);
  if (known) {
    sameRequest(known, raw);
    return { duplicate: true };
  }
  return { duplicate: (await storeAndProcess(deps, office.id, c.clientToken, raw, { ip: meta.ip }, photos)).duplicate };
}
