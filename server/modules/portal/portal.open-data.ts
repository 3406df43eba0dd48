// The portal's open data (issue 7): an office's figures for the last 12 months, and its open
// public reports for the map, the list and the downloads. What may be shown where:
// - Anything with a place (the map, the list, the downloads, counts by ward) holds only reports
//   placed publicly (cases.public-reports.ts: a point, not sensitive, a category that neither
//   keeps locations private nor needs a privacy release), and never a name, a description,
//   contact details or anything staff wrote.
// - Counts by category come from the insights summaries and count every case of the category,
//   sensitive ones included (no place, no person): a count from 1 to SMALL_COUNT - 1 is shown
//   as "fewer than SMALL_COUNT", and a median needs SMALL_COUNT resolved cases.
// The figures are read at most once per FIGURES_TTL_MS per office (they cover a year); the
// reports are read on every request, so a case made sensitive leaves the map at once.
import type { Executor } from '../../platform/db/database.js';
import { systemScope } from '../../platform/scope.js';
import * as publicReports from '../cases/cases.public-reports.js';
import { currentWards } from '../geo/geo.service.js';
import { addDays, dayOf, localIso, midnight } from '../insights/insights.days.js';
import * as insights from '../insights/insights.service.js';
import { gridOf, marksOf, padded, pathOf, POINT_LIMIT, projection, round4, type Box, type Mark } from './portal.open-data-map.js';
import type { Office } from './portal.service.js';
import { residentStatus, type ResidentStatus } from './portal.track.js';

/** Counts below this are not published exactly (by category), nor medians of fewer cases. */
export const SMALL_COUNT = 5;
/** Open reports per page of the list. */
export const PAGE_SIZE = 50;
/** Most reports a download holds (the newest); the page says so when there are more. */
export const MAX_DOWNLOAD_ROWS = 250_000;
const DOWNLOAD_CHUNK = 2000;
const FIGURES_TTL_MS = 5 * 60_000;
const CACHED_OFFICES = 200;
const MINUTES_PER_DAY = 1440;

export type CategoryFigures = {
  categoryId: string | null; name: string; opened: number; open: number; resolved: number;
  /** Medians (null below SMALL_COUNT resolved cases or without business hours). */
  medianDays: number | null; medianBusinessHours: number | null;
};
export type WardFigures = { wardId: string | null; name: string | null; opened: number; open: number; resolved: number };
export type WardOutline = { id: string; name: string; geometry: Parameters<typeof pathOf>[0]; box: Box };
export type Figures = {
  /** The office-local dates of the 12 months, and their midnights (to show them as dates in the office's time zone). */
  from: string; to: string; fromAt: Date; toAt: Date; asOf: Date;
  categories: CategoryFigures[]; wards: WardFigures[]; outlines: WardOutline[];
};

const cache = new Map<string, { at: number; figures: Promise<Figures> }>();

/** A count as published by category: exact from SMALL_COUNT, else null ("fewer than"); zero is zero. */
export const published = (n: number): number | null => (n === 0 || n >= SMALL_COUNT ? n : null);

const tenths = (v: number) => Math.round(v * 10) / 10;

/** The office's figures for the 12 months up to today (office-local dates), read at most every few minutes. */
export function figures(db: Executor, office: Office, now = new Date()): Promise<Figures> {
  const hit = cache.get(office.id);
  if (hit && now.getTime() - hit.at < FIGURES_TTL_MS) return hit.figures;
  const fresh = readFigures(db, office, now);
  cache.set(office.id, { at: now.getTime(), figures: fresh });
  fresh.catch(() => cache.delete(office.id));
  if (cache.size > CACHED_OFFICES) cache.delete(cache.keys().next().value!);
  return fresh;
}

/** Drops what is remembered of an office's figures (tests, after changing its cases). */
export const forgetFigures = (officeId: string) => cache.delete(officeId);

async function readFigures(db: Executor, office: Office, now: Date): Promise<Figures> {
  const to = localIso(office.timeZone, now);
  const from = addDays(to, -364);
  const scope = systemScope(db, office.id, 'portal open data');
  const [performance, backlog, wards, outlines] = await Promise.all([
    insights.performance(scope, { by: 'category', from, to }), insights.backlog(scope, { by: 'category' }),
    publicReports.wardCounts(db, office.id, midnight(office.timeZone, dayOf(from))), currentWards(db, office.id),
  ]);
  const rows = new Map<string, CategoryFigures>();
  const row = (key: string | null, label: string) => {
    let r = rows.get(key ?? '');
    if (!r) rows.set(key ?? '', (r = { categoryId: key, name: label, opened: 0, open: 0, resolved: 0, medianDays: null, medianBusinessHours: null }));
    return r;
  };
  for (const p of performance.rows) {
    const r = row(p.key, p.label);
    const { calendar, business } = p.current.resolution;
    Object.assign(r, {
      opened: p.current.opened, resolved: p.current.resolved,
      medianDays: calendar.count >= SMALL_COUNT && calendar.median !== null ? tenths(calendar.median / MINUTES_PER_DAY) : null,
      medianBusinessHours: business.count >= SMALL_COUNT && business.median !== null ? tenths(business.median / 60) : null,
    });
  }
  for (const b of backlog.rows) row(b.key, b.label).open = b.open;
  return {
    from, to, fromAt: midnight(office.timeZone, dayOf(from)), toAt: midnight(office.timeZone, dayOf(to)), asOf: new Date(performance.asOf),
    // By name, the cases without a category last.
    categories: [...rows.values()].filter((r) => r.opened || r.open || r.resolved)
      .sort((a, b) => Number(a.categoryId === null) - Number(b.categoryId === null) || a.name.localeCompare(b.name, undefined, { numeric: true })),
    wards: wardRows(outlines, wards),
    outlines: outlines.map((w) => ({ id: w.id, name: w.name, geometry: w.geometry, box: { west: w.bbox[0], south: w.bbox[1], east: w.bbox[2], north: w.bbox[3] } })),
  };
}

/** Every current ward (0 where none was counted) and any other ward a report is in, by name; then reports in no ward. */
function wardRows(outlines: { id: string; name: string }[], counted: Awaited<ReturnType<typeof publicReports.wardCounts>>): WardFigures[] {
  const of = new Map(counted.map((w) => [w.ward_id, w]));
  const named = new Map<string, string | null>(outlines.map((o) => [o.id, o.name]));
  for (const w of counted) if (w.ward_id && !named.has(w.ward_id)) named.set(w.ward_id, w.ward_name);
  const row = (wardId: string | null, name: string | null): WardFigures => ({ wardId, name, opened: of.get(wardId)?.opened ?? 0, open: of.get(wardId)?.open ?? 0, resolved: of.get(wardId)?.resolved ?? 0 });
  const rows = [...named].map(([id, name]) => row(id, name)).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', undefined, { numeric: true }));
  return of.has(null) ? [...rows, row(null, null)] : rows;
}

export type OpenReport = { reference: string; category: string; status: ResidentStatus; createdAt: Date; ward: string | null; lat: number; lng: number };

const present = (r: publicReports.PublicReport): OpenReport => ({
  reference: r.reference, category: r.categoryName, status: residentStatus(r.statusCategory, r.isInitialStatus), createdAt: r.createdAt, ward: r.wardName, lat: round4(r.lat), lng: round4(r.lng),
});

export type OpenMap = {
  width: number; height: number; wards: { name: string; path: string }[]; marks: Mark[];
  /** Reports counted per cell (true) or drawn one each. */
  isGrouped: boolean;
  /** Open public reports, and how many of them lie outside the area drawn. */
  total: number; outside: number;
};

/**
 * The map of open public reports over the office's wards (else the reports' own box); null
 * when there is neither. One pass counts every open public report per cell of the map's grid
 * (those outside the box too, to say how many are not shown); few are then drawn one each.
 */
export async function openMap(db: Executor, office: Office, outlines: WardOutline[]): Promise<OpenMap | null> {
  const union = (boxes: Box[]) => boxes.reduce((a, b) => ({ west: Math.min(a.west, b.west), south: Math.min(a.south, b.south), east: Math.max(a.east, b.east), north: Math.max(a.north, b.north) }));
  const area = outlines.length ? union(outlines.map((o) => o.box)) : (await publicReports.openExtent(db, office.id)).box;
  if (!area) return null;
  const box = padded(area);
  const p = projection(box);
  const isInside = (s: { lng: number; lat: number }) => s.lng >= box.west && s.lng <= box.east && s.lat >= box.south && s.lat <= box.north;
  const cells = await publicReports.openCells(db, office.id, gridOf(box));
  const total = cells.reduce((sum, c) => sum + c.n, 0);
  const isGrouped = total > POINT_LIMIT;
  const spots = isGrouped
    ? cells.filter(isInside)
    : (await publicReports.openReports(db, office.id, { limit: POINT_LIMIT })).map((r) => ({ lng: round4(r.lng), lat: round4(r.lat), n: 1 })).filter(isInside);
  return {
    width: p.width, height: p.height, isGrouped, total, outside: total - spots.reduce((sum, x) => sum + x.n, 0),
    wards: outlines.map((o) => ({ name: o.name, path: pathOf(o.geometry, p) })),
    marks: marksOf(spots, p),
  };
}

/** One page (from 1) of the open public reports, newest first, and how many pages there are. */
export async function openPage(db: Executor, office: Office, page: number, total: number): Promise<{ items: OpenReport[]; page: number; pages: number }> {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const at = Math.min(Math.max(1, page), pages);
  const items = total ? (await publicReports.openReports(db, office.id, { limit: PAGE_SIZE, offset: (at - 1) * PAGE_SIZE })).map(present) : [];
  return { items, page: at, pages };
}

/**
 * Every open public report (the newest MAX_DOWNLOAD_ROWS) for the downloads, in chunks. One
 * query: reading them back by id in chunks of 2,000 took 20 s at 100,000 open reports against
 * 5 s for the one query (measured, docs/PORTAL.md), for about 150 MB less memory at the peak.
 */
export async function* allOpen(db: Executor, office: Office): AsyncGenerator<OpenReport[]> {
  const rows = await publicReports.openReports(db, office.id, { limit: MAX_DOWNLOAD_ROWS });
  for (let i = 0; i < rows.length; i += DOWNLOAD_CHUNK) yield rows.slice(i, i + DOWNLOAD_CHUNK).map(present);
}
