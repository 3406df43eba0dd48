// The open data downloads: the open public reports as CSV and as GeoJSON (RFC 7946: a
// FeatureCollection of Points, longitude first, WGS 84), and the page's figures as CSV. CSV
// cells pass the exports' formula guard (safeCell): a category named "=HYPERLINK(…)" stays text.
// The reports are written out as the response is sent, a chunk at a time.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';
import { localIso } from '../insights/insights.days.js';
import { safeCell } from '../imports/imports.export.js';
import { published, SMALL_COUNT, type Figures, type OpenReport } from './portal.open-data.js';

export const REPORT_COLUMNS = ['reference', 'category', 'status', 'created', 'ward', 'lat', 'lng'] as const;
export const SUMMARY_COLUMNS = [
  'breakdown', 'name', 'from', 'to', 'opened', 'open_now', 'resolved', 'median_days_to_resolve', 'median_business_hours_to_resolve',
] as const;

export type Download = { fileName: string; contentType: string; body: Readable | string };

/** The file name of a download: the office, what it holds and the (office-local) date. */
export const fileName = (slug: string, what: string, day: string, ext: string) => `${slug}-${what}-${day}.${ext}`;

export type Chunks = AsyncIterable<OpenReport[]>;

export function reportsCsv(chunks: Chunks, timeZone: string): Readable {
  async function* lines() {
    for await (const reports of chunks) {
      for (const r of reports) yield [r.reference, r.category, r.status, localIso(timeZone, r.createdAt), r.ward ?? '', String(r.lat), String(r.lng)].map(safeCell);
    }
  }
  return Readable.from(lines()).pipe(stringify({ header: true, columns: [...REPORT_COLUMNS], bom: true }));
}

export function reportsGeojson(chunks: Chunks, timeZone: string): Readable {
  async function* parts() {
    yield '{"type":"FeatureCollection","features":[';
    let isFirst = true;
    for await (const reports of chunks) {
      if (!reports.length) continue;
      const features = reports.map((r) => JSON.stringify({
        type: 'Feature', geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
        properties: { reference: r.reference, category: r.category, status: r.status, created: localIso(timeZone, r.createdAt), ward: r.ward },
      }));
      yield (isFirst ? '' : ',') + features.join(',');
      isFirst = false;
    }
    yield ']}\n';
  }
  return Readable.from(parts());
}

/** Counts and medians per category and per ward; counts by category below the threshold are written "<5". */
export function summaryCsv(f: Figures, names: { uncategorised: string; noWard: string }): string {
  const count = (n: number) => String(published(n) ?? `<${SMALL_COUNT}`);
  const opt = (v: number | null) => (v === null ? '' : String(v));
  const rows = [
    ...f.categories.map((c) => ['category', c.categoryId === null ? names.uncategorised : c.name, f.from, f.to, count(c.opened), count(c.open), count(c.resolved), opt(c.medianDays), opt(c.medianBusinessHours)]),
    // Without ward boundaries there is no breakdown by ward (every report would be in none).
    ...(f.outlines.length ? f.wards : []).map((w) => ['ward', w.name ?? names.noWard, f.from, f.to, String(w.opened), String(w.open), String(w.resolved), '', '']),
  ];
  return stringifySync(rows.map((r) => r.map(safeCell)), { header: true, columns: [...SUMMARY_COLUMNS], bom: true });
}
