// The report's three steps as pages reached by GET (so each works without JavaScript and the
// browser's back button walks them): 1. what it is about (?q= searches the topics), 2. where it
// is (?where= searches the address register; a match's link carries its point), 3. the details
// form (?step=details with the chosen topic and place, and open reports of the same topic
// nearby). The details form posts the whole report; its problems bring back step 3.
import { z } from 'zod';
import type { Executor } from '../../platform/db/database.js';
import * as publicReports from '../cases/cases.public-reports.js';
import * as geo from '../geo/geo.service.js';
import * as register from '../geo/geo.register.repo.js';
import { search, type Choice } from './portal.categories.js';
import type { Translator } from './portal.i18n.js';
import type { Office } from './portal.service.js';
import { residentStatus } from './portal.track.js';
import type { AddressMatch } from './views/PlacePage.js';
import type { NearbyReport, ReportValues } from './views/ReportPage.js';

/** How far around the point open reports of the same topic are offered as "the same problem?". */
export const NEARBY_METRES = 250;
const NEARBY_MAX = 5;
const MATCHES_MAX = 10;

const optional = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);
const ZStepQuery = z.object({
  category: optional(z.union([z.uuid(), z.literal('other')])),
  q: optional(z.string().max(200)),
  where: optional(z.string().trim().max(500)),
  step: optional(z.literal('details')),
  address: optional(z.string().trim().max(500)),
  lat: optional(z.coerce.number().min(-90).max(90)),
  lng: optional(z.coerce.number().min(-180).max(180)),
});

export type Step =
  | { kind: 'category'; items: Choice[]; q: string; total: number }
  | { kind: 'place'; categoryId: string; chosen: Choice | null; where: string; matches: AddressMatch[] | null; outside: boolean }
  | { kind: 'details'; chosen: Choice | null; values: ReportValues };


/** Which step the query asks for, with what that page shows. */
export async function stepOf(db: Executor, office: Office, items: Choice[], query: unknown): Promise<Step> {
  const q = ZStepQuery.parse(query ?? {});
  const chosen = q.category && q.category !== 'other' ? items.find((c) => c.id === q.category) : undefined;
  if (!q.category || (q.category !== 'other' && !chosen)) return { kind: 'category', items: search(items, q.q ?? ''), q: q.q?.trim() ?? '', total: items.length };
  const place = { categoryId: q.category, chosen: chosen ?? null, where: q.where ?? '' };
  const hasPoint = q.lat !== undefined && q.lng !== undefined;
  if (q.step === 'details') {
    if (hasPoint && await geo.isOutsideWards(db, office.id, q.lat!, q.lng!)) return { kind: 'place', ...place, matches: null, outside: true };
    const values: ReportValues = { ...(q.address ? { address: q.address } : {}), ...(hasPoint ? { lat: String(q.lat), lng: String(q.lng) } : {}) };
    return { kind: 'details', chosen: chosen ?? null, values };
  }
  const matches = q.where ? (await register.search(db, office.id, q.where, MATCHES_MAX)).map((a) => ({ label: register.addressLabel(a), lat: a.lat, lng: a.lng })) : null;
  return { kind: 'place', ...place, matches, outside: false };
}

/** Open reports of the topic near the point, for "Is this the same problem?". */
export async function nearbyOf(db: Executor, office: Office, t: Translator, categoryId: string | undefined, values: ReportValues): Promise<NearbyReport[]> {
  const lat = Number(values.lat);
  const lng = Number(values.lng);
  if (!categoryId || !values.lat || !values.lng || !Number.isFinite(lat) || !Number.isFinite(lng)) return [];
  const found = await publicReports.openNear(db, office.id, { lat, lng }, NEARBY_METRES, { categoryId, limit: NEARBY_MAX });
  return found.map((r) => ({
    reference: r.reference, categoryName: r.categoryName, createdAt: r.createdAt, metres: r.metres,
    status: t.t(`status.${residentStatus(r.statusCategory, r.isInitialStatus)}`),
    href: `/portal/${office.slug}/reports/${encodeURIComponent(r.reference)}?lang=${t.lang}`,
  }));
}

/** The posted answers to the topic's questions (to show again). */
export const answersPosted = (body: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('attribute[') && typeof v === 'string'));
