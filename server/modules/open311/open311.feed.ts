// Reading requests through Open311: GET requests (filters, the 90-day window, paging),
// GET requests/{id}, and FixMyStreet's GET servicerequestupdates. Only cases of published
// services appear, never sensitive ones, and never who reported them. Case statuses map to
// Open311's two: open and waiting are "open", resolved and closed are "closed".
import type { Office } from '../../../contract/offices.js';
import type { Executor } from '../../platform/db/database.js';
import * as feed from '../cases/cases.open311-repo.js';
import { reportDetails } from '../intake/intake.feed.js';
import { isoInZone, Open311Error } from './open311.format.js';
import { publishedServices, serviceByCode, type PublishedService } from './open311.service.js';

export const WINDOW_DAYS = 90;
export const MAX_PAGE_SIZE = 1000;
const DAY = 86_400_000;

export type Query = Record<string, string | string[] | undefined>;

/** A query parameter; empty counts as absent; repeated, the first. */
export function param(q: Query, key: string, max = 200): string | undefined {
  const raw = q[key];
  const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!v) return undefined;
  if (v.length > max) throw new Open311Error(400, `${key} is longer than ${max} characters`);
  return v;
}

const list = (q: Query, key: string, max = 20_000) => param(q, key, max)?.split(',').map((s) => s.trim()).filter(Boolean);

function date(q: Query, key: string): Date | undefined {
  const v = param(q, key, 40);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(d.getTime())) throw new Open311Error(400, `${key} must be an ISO 8601 date and time`);
  return d;
}

/** start_date/end_date: the last 90 days by default, never a longer span. */
export function window(q: Query, now = new Date()): { from: Date; to: Date } {
  const start = date(q, 'start_date');
  const end = date(q, 'end_date');
  const to = end ?? (start ? new Date(start.getTime() + WINDOW_DAYS * DAY) : now);
  const from = start ?? new Date(to.getTime() - WINDOW_DAYS * DAY);
  if (from > to) throw new Open311Error(400, 'start_date must be before end_date');
  if (to.getTime() - from.getTime() > WINDOW_DAYS * DAY) throw new Open311Error(400, `start_date and end_date may be at most ${WINDOW_DAYS} days apart`);
  return { from, to };
}

/** The page/page_size extension; without it, the first 1,000. */
export function paging(q: Query): { limit: number; offset: number } {
  const int = (key: string, min: number, max: number) => {
    const v = param(q, key, 10);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Open311Error(400, `${key} must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
  const size = int('page_size', 1, MAX_PAGE_SIZE) ?? MAX_PAGE_SIZE;
  const page = int('page', 1, 1_000_000) ?? 1;
  return { limit: size, offset: (page - 1) * size };
}

const isExtended = (q: Query) => param(q, 'extensions', 10)?.toLowerCase() === 'true';
const openOrClosed = (category: string) => (category === 'open' || category === 'waiting' ? 'open' : 'closed');

function note(h: feed.HistoryRow) {
  const after = h.after ?? {};
  const resolution = after.resolution as { label?: string; summary?: string } | null | undefined;
  let description: string;
  if (h.entity_type === 'inbound_item') description = String(after.text ?? '');
  else if (h.action === 'created') description = 'Request received';
  else if (resolution?.summary && h.action === 'status_changed') description = `${String(after.summary ?? '')}: ${resolution.summary}`;
  else description = String(after.summary ?? h.action);
  return { description: description.slice(0, 4000), status: h.action === 'created' ? 'open' : openOrClosed(h.status_category) };
}

/** The update id a client sees: an update it posted keeps the id it was given (the item's). */
const updateId = (h: feed.HistoryRow) => (h.entity_type === 'inbound_item' ? h.entity_id : h.event_id);

async function present(db: Executor, office: Office, services: PublishedService[], rows: feed.FeedRow[], extended: boolean) {
  const byCategory = new Map(services.map((s) => [s.row.category_id, s]));
  const ids = rows.map((r) => r.id);
  const details = await reportDetails(db, office.id, 'open311', ids);
  const notesOf = new Map<string, feed.HistoryRow[]>();
  for (const h of extended ? await feed.history(db, office.id, ids) : []) notesOf.set(h.case_id, [...(notesOf.get(h.case_id) ?? []), h]);
  const at = (d: Date | null) => (d ? isoInZone(d, office.timeZone) : '');
  return rows.map((r) => {
    const s = byCategory.get(r.category_id)!;
    const d = details.get(r.id) ?? {};
    const closed = openOrClosed(r.status_category) === 'closed';
    return {
      service_request_id: r.reference,
      status: closed ? 'closed' : 'open',
      status_notes: closed ? (r.resolution_summary ?? '') : '',
      service_name: s.name,
      service_code: s.row.service_code,
      description: r.description || r.subject,
      agency_responsible: office.name,
      service_notice: '',
      requested_datetime: at(r.created_at),
      updated_datetime: at(r.updated_at),
      expected_datetime: closed ? '' : at(r.resolution_due_at),
      address: r.address ?? '',
      address_id: '',
      zipcode: '',
      lat: r.lat,
      long: r.lng,
      media_url: typeof d.mediaUrl === 'string' ? d.mediaUrl : '',
      ...(extended ? {
        extended_attributes: {
          title: r.subject,
          status_label: r.status_label,
          attributes: (Array.isArray(d.attributes) ? d.attributes as { code: string; values: string[] }[] : []).map((a) => ({ code: a.code, values: a.values })),
          notes: (notesOf.get(r.id) ?? []).map((h) => ({ update_id: updateId(h), datetime: at(h.occurred_at), ...note(h) })),
        },
      } : {}),
    };
  });
}

export async function listRequests(db: Executor, office: Office, q: Query) {
  const services = await publishedServices(db, office.id);
  const extended = isExtended(q);
  const ids = list(q, 'service_request_id');
  if (ids) {
    // The ids override every other filter, as the specification says.
    if (ids.length > MAX_PAGE_SIZE) throw new Open311Error(400, `At most ${MAX_PAGE_SIZE} service_request_id values at once`);
    const rows = await feed.requests(db, office.id, { categoryIds: services.map((s) => s.row.category_id), references: ids, limit: MAX_PAGE_SIZE, offset: 0 });
    return present(db, office, services, rows, extended);
  }
  const codes = list(q, 'service_code');
  const wanted = codes?.map((c) => c.toLowerCase());
  const chosen = wanted ? services.filter((s) => wanted.includes(s.row.service_code.toLowerCase())) : services;
  const unknown = codes?.find((c) => !serviceByCode(services, c));
  if (unknown) throw new Open311Error(400, `service_code "${unknown.slice(0, 100)}" is not a service of this jurisdiction`);
  const statuses = list(q, 'status')?.map((s) => s.toLowerCase());
  const badStatus = statuses?.find((s) => s !== 'open' && s !== 'closed');
  if (badStatus) throw new Open311Error(400, 'status must be open or closed');
  const statusCategories = statuses?.flatMap((s) => (s === 'open' ? ['open', 'waiting'] : ['resolved', 'closed']));
  const { from, to } = window(q);
  const rows = await feed.requests(db, office.id, { categoryIds: chosen.map((s) => s.row.category_id), statusCategories, from, to, ...paging(q) });
  return present(db, office, services, rows, extended);
}

/** One request a client may see (published, not sensitive), with the services it is presented with. */
async function requestRow(db: Executor, office: Office, reference: string) {
  const services = await publishedServices(db, office.id);
  const [row] = await feed.requests(db, office.id, { categoryIds: services.map((s) => s.row.category_id), references: [reference], limit: 1, offset: 0 });
  return { services, row };
}

export async function getRequest(db: Executor, office: Office, id: string, q: Query) {
  const { services, row } = await requestRow(db, office, id);
  if (!row) throw new Open311Error(404, `service_request_id "${id.slice(0, 100)}" was not found`);
  return present(db, office, services, [row], isExtended(q));
}

/** The case behind a request a client may see (published, not sensitive), for posting an update. */
export async function visibleCase(db: Executor, office: Office, reference: string): Promise<string | null> {
  return (await requestRow(db, office, reference)).row?.id ?? null;
}

export async function listUpdates(db: Executor, office: Office, q: Query) {
  const services = await publishedServices(db, office.id);
  const { from, to } = window(q);
  const rows = await feed.updates(db, office.id, { categoryIds: services.map((s) => s.row.category_id), from, to, ...paging(q) });
  return rows.map((h) => ({
    update_id: updateId(h), service_request_id: h.reference, updated_datetime: isoInZone(h.occurred_at, office.timeZone), media_url: '', ...note(h),
  }));
}
