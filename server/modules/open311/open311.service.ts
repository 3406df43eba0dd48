// Open311 GeoReport v2 as a channel of intake: which office a call is for (jurisdiction_id),
// API keys, the service list and definitions, and posting reports and updates. A post is
// checked in full, stored raw through intake's receive() (nothing is stored on refusal),
// then processed at once when that works, so the answer carries the service_request_id;
// otherwise the client gets a token that GET tokens/{token} resolves once the job has run.
import { randomUUID } from 'node:crypto';
import type { Office } from '../../../contract/offices.js';
import { sha256 } from '../../platform/auth/secrets.js';
import type { Executor } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import * as categories from '../cases/cases.categories.js';
import * as cases from '../cases/cases.intake.js';
import * as feed from '../cases/cases.open311-repo.js';
import * as geo from '../geo/geo.service.js';
import { itemState } from '../intake/intake.feed.js';
import { processItem, receive } from '../intake/intake.service.js';
import * as offices from '../offices/offices.service.js';
import { attributesOf } from './open311.admin.js';
import { checkAttributes, readReport, readUpdate, storedForm, type Form } from './open311.form.js';
import { Open311Error } from './open311.format.js';
import type { ItemDetails } from './open311.reader.js';
import * as repo from './open311.repo.js';

type Log = { error(obj: object, msg?: string): void };

/** The office a call is for: its slug as jurisdiction_id, which a single-office deployment may leave out. */
export async function officeOf(db: Executor, jurisdictionId: string | undefined, registry: Pick<typeof offices, 'getBySlug' | 'count' | 'list'> = offices): Promise<Office> {
  if (jurisdictionId) {
    const office = await registry.getBySlug(db, jurisdictionId.slice(0, 100));
    if (!office) throw new Open311Error(404, `jurisdiction_id "${jurisdictionId.slice(0, 100)}" was not found`);
    return office;
  }
  if (Number(await registry.count(db)) !== 1) throw new Open311Error(400, 'jurisdiction_id is required: this server serves several jurisdictions');
  return (await registry.list(db))[0]!;
}

/** The office's live key with this secret, else 403. */
export async function checkKey(db: Executor, officeId: string, apiKey: string | undefined): Promise<string> {
  if (!apiKey) throw new Open311Error(403, 'api_key is required');
  const key = await repo.liveKeyByHash(db, sha256(apiKey));
  if (!key || key.office_id !== officeId) throw new Open311Error(403, 'api_key is not valid for this jurisdiction');
  await repo.touchKey(db, officeId, key.id);
  return key.id;
}

export type PublishedService = { row: repo.ServiceRow; name: string; path: string[] };

/** The office's services whose category is live, by code order. */
/** The published service with this code (codes compare ignoring case). */
export const serviceByCode = (services: PublishedService[], code: string) => services.find((s) => s.row.service_code.toLowerCase() === code.toLowerCase());

export async function publishedServices(db: Executor, officeId: string): Promise<PublishedService[]> {
  const cats = new Map((await categories.list(systemScope(db, officeId, 'open311'), { includeRetired: true })).map((c) => [c.id, c]));
  return (await repo.services(db, officeId)).flatMap((row) => {
    const c = cats.get(row.category_id);
    return c && !c.retired ? [{ row, name: c.name, path: c.path }] : [];
  });
}

/** When this server's Open311 interface last changed (discovery's changeset). */
const CHANGESET = '2026-12-06T16:01:00Z';

export function discovery(publicUrl: string) {
  const at = CHANGESET;
  return {
    changeset: at,
    contact: `See ${publicUrl} for how to contact this service`,
    key_service: 'API keys for posting requests are issued by each jurisdiction (office) administrator',
    endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${publicUrl}/open311/v2`, changeset: at, type: 'production', formats: ['text/xml', 'application/json'] }],
  };
}

export async function serviceList(db: Executor, office: Office) {
  return (await publishedServices(db, office.id)).map(({ row, name }) => ({
    service_code: row.service_code, service_name: name, description: row.description, metadata: attributesOf(row).length > 0,
    type: 'realtime', keywords: row.keywords.join(','), group: row.group_name ?? '',
  }));
}

export async function serviceDefinition(db: Executor, office: Office, code: string) {
  const found = serviceByCode(await publishedServices(db, office.id), code);
  if (!found) throw new Open311Error(404, `service_code "${code.slice(0, 100)}" was not found`);
  return {
    service_code: found.row.service_code,
    attributes: [...attributesOf(found.row)].sort((a, b) => a.order - b.order).map((a) => ({
      variable: a.variable, code: a.code, datatype: a.datatype, required: a.required, datatype_description: a.datatypeDescription ?? '',
      order: a.order, description: a.description, values: a.values.map((v) => ({ key: v.key, name: v.name })),
    })),
  };
}

/**
 * The idempotency key of a post. With an Idempotency-Key header, a retry of the same post is
 * recognised; without one every post is a new report: GeoReport v2 has no client token, and
 * a hash of the body (or device_id plus one) would merge two residents' identical reports or
 * drop a resident's deliberate second report. A duplicate case costs less than a lost one.
 */
export function idempotencyKey(apiKeyId: string, header: unknown, kind: string): string {
  if (header === undefined) return `${kind}:${randomUUID()}`;
  if (typeof header !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(header)) throw new Open311Error(400, 'Idempotency-Key must be 1-255 visible ASCII characters');
  return `${kind}:${apiKeyId}:${header}`;
}

type Posted = { itemId: string; caseId: string | null };

/**
 * Stores the post (without its api_key: a secret must not rest in the inbox); a redelivery
 * with the same key must be the same post, compared in that same stored form. Then tries to
 * process it now.
 */
async function store(db: Executor, jobs: Jobs | undefined, officeId: string, key: string, body: string, details: ItemDetails, log: Log): Promise<Posted> {
  const raw = Buffer.from(storedForm(body), 'utf8');
  const r = await receive(db, jobs, officeId, { channel: 'open311', source: 'http', key, raw, rawType: 'application/x-www-form-urlencoded', details });
  let state = r.duplicate ? await itemState(db, officeId, r.id) : undefined;
  if (r.duplicate && !state?.raw.equals(raw)) throw new Open311Error(400, 'This Idempotency-Key was used with a different request');
  if (r.status === 'received') {
    try {
      await processItem(db, officeId, r.id);
    } catch (err) {
      // The job retries it; the client resolves the token later.
      log.error({ err, itemId: r.id, officeId }, 'open311 post not processed at once');
    }
    state = undefined;
  }
  // Read again only when processing may have changed it.
  state ??= await itemState(db, officeId, r.id);
  return { itemId: r.id, caseId: state?.caseId ?? null };
}

async function referenceOf(db: Executor, officeId: string, caseId: string | null): Promise<string | null> {
  return caseId ? ((await cases.caseById(db, officeId, caseId))?.reference ?? null) : null;
}

export async function postRequest(db: Executor, jobs: Jobs | undefined, office: Office, p: { form: Form; raw: string; apiKey: string | undefined; idempotency: unknown }, log: Log) {
  const keyId = await checkKey(db, office.id, p.apiKey);
  const report = readReport(p.form, office.defaultRegion);
  const service = serviceByCode(await publishedServices(db, office.id), report.serviceCode);
  if (!service) throw new Open311Error(400, `service_code "${report.serviceCode}" is not a service of this jurisdiction`);
  const attributes = checkAttributes(p.form, attributesOf(service.row));
  let place = { address: report.addressString, lat: report.lat, lng: report.lng };
  if (report.addressId) {
    const a = await geo.registerAddressByExternalId(db, office.id, report.addressId);
    if (!a) throw new Open311Error(400, `address_id "${report.addressId}" is not in this jurisdiction's address register`);
    place = { address: place.address ?? [a.line1, a.line2, a.locality, a.postcode].filter(Boolean).join(', '), lat: place.lat ?? a.lat, lng: place.lng ?? a.lng };
  }
  const details: ItemDetails = { kind: 'report', categoryId: service.row.category_id, serviceName: service.name, region: office.defaultRegion, attributes, ...place, mediaUrl: report.mediaUrl };
  const posted = await store(db, jobs, office.id, idempotencyKey(keyId, p.idempotency, 'request'), p.raw, details, log);
  const reference = await referenceOf(db, office.id, posted.caseId);
  return [reference
    ? { service_request_id: reference, service_notice: '', account_id: report.accountId }
    : { token: posted.itemId, service_notice: 'Your request is being processed; resolve the token for its service_request_id', account_id: report.accountId }];
}

/** FixMyStreet's update post: a comment threaded onto the request (the status it names is not applied). */
export async function postUpdate(db: Executor, jobs: Jobs | undefined, office: Office, p: { form: Form; raw: string; apiKey: string | undefined; idempotency: unknown }, visibleCase: (reference: string) => Promise<string | null>, log: Log) {
  const keyId = await checkKey(db, office.id, p.apiKey);
  const update = readUpdate(p.form, office.defaultRegion);
  const caseId = await visibleCase(update.serviceRequestId);
  if (!caseId) throw new Open311Error(404, `service_request_id "${update.serviceRequestId.slice(0, 100)}" was not found`);
  const details: ItemDetails = { kind: 'update', caseId, region: office.defaultRegion, mediaUrl: update.mediaUrl };
  const posted = await store(db, jobs, office.id, idempotencyKey(keyId, p.idempotency, 'update'), p.raw, details, log);
  return [{ update_id: posted.itemId }];
}

/**
 * GET tokens/{token}: the request a posted report became, once processed. Once that request
 * leaves the feed (made sensitive, its service withdrawn) the token is not found either.
 */
export async function resolveToken(db: Executor, office: Office, token: string) {
  const item = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(token) ? await itemState(db, office.id, token) : undefined;
  if (!item || item.channel !== 'open311' || item.details.kind !== 'report') throw new Open311Error(404, 'token was not found');
  if (!item.caseId) return [{ service_request_id: '', token }];
  const categoryIds = (await publishedServices(db, office.id)).map((s) => s.row.category_id);
  const reference = await feed.visibleReference(db, office.id, categoryIds, item.caseId);
  if (!reference) throw new Open311Error(404, 'token was not found');
  return [{ service_request_id: reference, token }];
}
