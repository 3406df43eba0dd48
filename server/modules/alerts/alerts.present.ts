// How a subscription and a report are put into words, in the subscriber's language: the same
// wording on the pages and in the emails. A report says only what the public reports module
// exposes: reference, category, date, ward, the resident's status word and how far it is. The
// names a subscription is worded with come from the modules that own them (geo, cases).
import type { Executor } from '../../platform/db/database.js';
import * as taxonomy from '../cases/cases.categories.js';
import * as publicReports from '../cases/cases.public-reports.js';
import type { PublicReport } from '../cases/cases.public-reports.js';
import * as geo from '../geo/geo.service.js';
import type { SubscriptionRow } from './alerts.repo.js';
import type { Translator } from '../portal/portal.i18n.js';
import { residentStatus } from '../portal/portal.track.js';

export type SubscriptionFacts = { radius_m: number | null; place: string | null; wardName: string | null; categoryName: string | null; frequency: string; caseReference?: string | null };
export type AlertReport = PublicReport & { metres: number | null };

/** The subscriptions with the names their wording needs: their ward's, their category's and their followed report's reference. */
export async function describeAll(db: Executor, officeId: string, rows: SubscriptionRow[]) {
  const ids = (k: 'ward_id' | 'category_id' | 'case_id') => rows.flatMap((r) => (r[k] ? [r[k]] : []));
  const [wards, categories, references] = await Promise.all([
    geo.boundaryNames(db, officeId, ids('ward_id')), taxonomy.namesOf(db, officeId, ids('category_id')), publicReports.referencesOf(db, officeId, ids('case_id')),
  ]);
  const name = (m: Map<string, string>, id: string | null) => (id ? m.get(id) ?? null : null);
  return rows.map((r) => ({ ...r, wardName: name(wards, r.ward_id), categoryName: name(categories, r.category_id), caseReference: name(references, r.case_id) }));
}

export const describe = async (db: Executor, officeId: string, s: SubscriptionRow) => (await describeAll(db, officeId, [s]))[0]!;

export const distance = (t: Translator, metres: number) =>
  (metres >= 1000 ? t.t('alerts.distance.km', { n: t.number(Math.round(metres / 100) / 10) }) : t.t('alerts.distance.m', { n: t.number(metres) }));

/** "in Riverside ward" / "within 500 m of 12 Mill Lane", then the category when there is one. */
export function areaLabel(t: Translator, s: SubscriptionFacts): string {
  if (s.frequency === 'changes') return t.t('alerts.area.report', { reference: s.caseReference ?? '' });
  const area = s.radius_m !== null && s.place !== null
    ? t.t('alerts.area.radius', { distance: distance(t, s.radius_m), place: s.place })
    : t.t('alerts.area.ward', { ward: s.wardName ?? t.t('alerts.area.wardGone') });
  return s.categoryName ? t.t('alerts.area.withCategory', { area, category: s.categoryName }) : area;
}

export const frequencyLabel = (t: Translator, frequency: string) => t.t(frequency === 'daily' ? 'alerts.frequency.daily' : frequency === 'changes' ? 'alerts.frequency.changes' : 'alerts.frequency.immediate');

/** One report, on one line: reference, category, date, ward, status and (for a radius) about how far. */
export function reportLine(t: Translator, r: AlertReport): string {
  const parts = [r.reference, r.categoryName, t.date(r.createdAt), r.wardName, t.t(`status.${residentStatus(r.statusCategory, r.isInitialStatus)}`)];
  // Rounded to 50 m: an approximate place, not a house.
  if (r.metres !== null) parts.push(t.t('alerts.report.away', { distance: distance(t, Math.max(50, Math.round(r.metres / 50) * 50)) }));
  return parts.filter(Boolean).join(' · ');
}
