// The open data page and its downloads through HTTP, on known data: counts by category and
// by ward and the medians against an independent count over `cases`; sensitive cases and
// categories that keep locations private or need a privacy release never placed (map, list,
// downloads) nor counted by ward; another office's cases never shown; the CSV parsed back and
// the GeoJSON checked; formulas defused, HTML shown as text; an office without wards; many
// reports drawn as cells and listed page by page; off with the portal.
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { ok, type Staff } from '../cases/cases.testkit.js';
import { addDays, dayOf, localIso, midnight } from '../insights/insights.days.js';
import { get, portalOffice, textOf } from './portal.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const DAY = 86_400_000;
type World = Awaited<ReturnType<typeof portalOffice>>;

/** Two square wards side by side: W1 over lng 0..1, W2 over lng 1..2 (lat 0..1). */
async function twoWards(admin: Staff) {
  const square = (x: number) => [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]];
  const features = [0, 1].map((x) => ({ type: 'Feature', properties: { code: `W${x + 1}`, name: `Ward ${x + 1}` }, geometry: { type: 'Polygon', coordinates: square(x) } }));
  ok(await admin.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features } }), 200);
}

const category = async (w: World, name: string, flags: object = {}) => ok(await w.admin.api('POST', '/api/v1/case-categories', { name, ...flags }), 201) as { id: string; name: string };

/** A case through the API, then dated (and resolved) in the database as if it had happened then. */
async function kase(w: World, o: { categoryId: string; at?: [number, number]; daysAgo?: number; resolvedAfterDays?: number; isSensitive?: boolean }): Promise<Case> {
  const location = o.at ? { lat: o.at[1], lng: o.at[0] } : null;
  const c = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Ada Lovelace says the road is broken', description: 'Call me on 07700 900123', channel: 'web', categoryId: o.categoryId, location, isSensitive: o.isSensitive ?? false }), 201) as Case;
  const created = new Date(Date.now() - (o.daysAgo ?? 1) * DAY);
  const resolved = o.resolvedAfterDays === undefined ? null : new Date(created.getTime() + o.resolvedAfterDays * DAY);
  await ctx.database.db.updateTable('cases').set({ created_at: created, ...(resolved ? { resolved_at: resolved, status: 'resolved' } : {}) }).where('office_id', '=', w.office.id).where('id', '=', c.id).execute();
  return c;
}

const csvOf = (body: string) => parse(body.replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

/** The office's cases counted independently of the page: 12 months of office-local days up to today. */
async function independent(officeId: string, timeZone: string) {
  const since = midnight(timeZone, dayOf(addDays(localIso(timeZone, new Date()), -364)));
  const { rows } = await sql<{ category_id: string; ward_id: string | null; placed: boolean; opened: number; open: number; resolved: number }>`
    SELECT c.category_id, c.ward_id,
      (c.lat IS NOT NULL AND NOT c.is_sensitive AND NOT k.location_is_private AND NOT k.requires_privacy_release) AS placed,
      count(*) FILTER (WHERE c.created_at >= ${since})::int AS opened,
      count(*) FILTER (WHERE c.resolved_at IS NULL AND c.closed_at IS NULL)::int AS open,
      count(*) FILTER (WHERE c.resolved_at >= ${since} OR c.closed_at >= ${since})::int AS resolved
    FROM cases c JOIN categories k ON k.office_id = c.office_id AND k.id = c.category_id
    WHERE c.office_id = ${officeId} GROUP BY 1, 2, 3`.execute(ctx.database.db);
  const sum = (keep: (r: (typeof rows)[number]) => boolean) => rows.filter(keep).reduce((a, r) => ({ opened: a.opened + r.opened, open: a.open + r.open, resolved: a.resolved + r.resolved }), { opened: 0, open: 0, resolved: 0 });
  return { byCategory: (id: string) => sum((r) => r.category_id === id), byWard: (id: string | null) => sum((r) => r.placed && r.ward_id === id) };
}

describe('an office with wards and known cases', () => {
  let w: World;
  let other: World;
  const refs: Record<string, string> = {};
  let potholes: { id: string; name: string };
  let evil: { id: string; name: string };
  let benefits: { id: string; name: string };

  beforeAll(async () => {
    w = await portalOffice(ctx);
    other = await portalOffice(ctx);
    await twoWards(w.admin);
    potholes = w.category;
    evil = await category(w, `=HYPERLINK("http://evil.example") <script>alert(1)</script> ${uniq('Bins')}`);
    benefits = await category(w, uniq('Benefits'), { locationPrivate: true });
    const release = await category(w, uniq('Housing'), { requiresPrivacyRelease: true });
    // Five resolved in the last year, 1 to 10 days each: the median is 3.5 days.
    for (const [i, d] of [1, 2, 3.5, 4, 10].entries()) await kase(w, { categoryId: potholes.id, at: [0.5, 0.5], daysAgo: 40 + i, resolvedAfterDays: d });
    refs.open1 = (await kase(w, { categoryId: potholes.id, at: [0.123456, 0.654321], daysAgo: 3 })).reference;
    refs.open2 = (await kase(w, { categoryId: potholes.id, at: [1.5, 0.5], daysAgo: 2 })).reference;
    refs.unplaced = (await kase(w, { categoryId: potholes.id, daysAgo: 2 })).reference;
    refs.old = (await kase(w, { categoryId: potholes.id, at: [1.25, 0.25], daysAgo: 400 })).reference;
    refs.oldResolved = (await kase(w, { categoryId: potholes.id, at: [0.5, 0.5], daysAgo: 400, resolvedAfterDays: 5 })).reference;
    refs.sensitive = (await kase(w, { categoryId: potholes.id, at: [0.3, 0.3], isSensitive: true })).reference;
    refs.private = (await kase(w, { categoryId: benefits.id, at: [0.4, 0.4] })).reference;
    refs.release = (await kase(w, { categoryId: release.id, at: [1.4, 0.4] })).reference;
    refs.evil = (await kase(w, { categoryId: evil.id, at: [0.75, 0.75] })).reference;
    const elsewhere = await category(other, uniq('Elsewhere'));
    refs.other = (await kase(other, { categoryId: elsewhere.id, at: [0.5, 0.5] })).reference;
  });

  const placed = () => [refs.open1, refs.open2, refs.old, refs.evil];
  const hidden = () => [refs.unplaced, refs.sensitive, refs.private, refs.release, refs.other, refs.oldResolved];

  it('counts by category (every case, small counts suppressed) and by ward (placed reports only), as an independent count does', async () => {
    const count = await independent(w.office.id, w.office.timeZone);
    const summary = csvOf((await get(ctx, `/portal/${w.slug}/open-data/summary.csv`)).body);
    const row = (breakdown: string, name: string) => summary.find((r) => r.breakdown === breakdown && r.name === name)!;
    const p = count.byCategory(potholes.id);
    expect(p).toEqual({ opened: 9, open: 5, resolved: 5 });
    expect(row('category', potholes.name)).toMatchObject({ opened: String(p.opened), open_now: String(p.open), resolved: String(p.resolved), median_days_to_resolve: '3.5' });
    // One open case in a category keeping locations private: counted, but not exactly.
    expect(count.byCategory(benefits.id).open).toBe(1);
    expect(row('category', benefits.name)).toMatchObject({ opened: '<5', open_now: '<5', resolved: '0', median_days_to_resolve: '' });
    const wards = (await ctx.database.db.selectFrom('boundaries').select(['id', 'name']).where('office_id', '=', w.office.id).execute());
    for (const ward of wards) {
      const c = count.byWard(ward.id);
      expect(row('ward', ward.name), ward.name).toMatchObject({ opened: String(c.opened), open_now: String(c.open), resolved: String(c.resolved) });
    }
    expect(count.byWard(wards.find((x) => x.name === 'Ward 1')!.id)).toEqual({ opened: 7, open: 2, resolved: 5 });
    expect(count.byWard(wards.find((x) => x.name === 'Ward 2')!.id)).toEqual({ opened: 1, open: 2, resolved: 0 });
    // The same figures on the page, in Spanish with a decimal comma.
    const page = textOf((await get(ctx, `/portal/${w.slug}/open-data?lang=es`)).body);
    expect(page).toContain('3,5 días');
    expect(page).toContain('menos de 5');
    expect(page).toMatch(/Ward 1 7 2 5 /);
    const en = textOf((await get(ctx, `/portal/${w.slug}/open-data?lang=en`)).body);
    expect(en).toContain('3.5 days');
    expect(en).toMatch(/Ward 2 1 2 0 /);
  });

  it('places only open public reports on the map, the list and the downloads, never another office\'s, never personal data', async () => {
    const res = await get(ctx, `/portal/${w.slug}/open-data?lang=en`);
    expect(res.statusCode).toBe(200);
    const svg = /<svg[^>]*role="img"[\s\S]*?<\/svg>/.exec(res.body)![0];
    expect(svg).toContain('aria-labelledby="od-map-title"');
    expect(svg).toContain('Map of 4 open requests');
    expect(svg.match(/<circle /g)).toHaveLength(placed().length);
    expect(svg.match(/<path /g)).toHaveLength(2);
    for (const r of placed()) expect(res.body).toContain(r);
    for (const r of hidden()) expect(res.body).not.toContain(r);
    const csv = await get(ctx, `/portal/${w.slug}/open-data/reports.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="${w.slug}-open-reports-${localIso(w.office.timeZone, new Date())}.csv"`);
    const rows = csvOf(csv.body);
    expect(Object.keys(rows[0]!)).toEqual(['reference', 'category', 'status', 'created', 'ward', 'lat', 'lng']);
    expect(rows.map((r) => r.reference).sort()).toEqual([...placed()].sort());
    expect(rows.find((r) => r.reference === refs.open1)).toMatchObject({ category: potholes.name, status: 'received', ward: 'Ward 1', lat: '0.6543', lng: '0.1235' });
    const geo = await get(ctx, `/portal/${w.slug}/open-data/reports.geojson`);
    expect(geo.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(geo.headers['content-disposition']).toMatch(new RegExp(`filename="${w.slug}-open-reports-\\d{4}-\\d{2}-\\d{2}\\.geojson"`));
    const fc = geo.json() as { type: string; features: { type: string; geometry: { type: string; coordinates: number[] }; properties: Record<string, unknown> }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.properties.reference).sort()).toEqual([...placed()].sort());
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      expect(f.geometry.coordinates).toHaveLength(2);
      expect(Object.keys(f.properties).sort()).toEqual(['category', 'created', 'reference', 'status', 'ward']);
    }
    expect(fc.features.find((f) => f.properties.reference === refs.old)!.geometry.coordinates).toEqual([1.25, 0.25]);
    for (const body of [res.body, csv.body, geo.body]) {
      expect(body).not.toMatch(/Ada|Lovelace|07700|broken/);
    }
  });

  it('defuses formulas in the CSV files and shows HTML in names as text', async () => {
    const rows = csvOf((await get(ctx, `/portal/${w.slug}/open-data/reports.csv`)).body);
    expect(rows.find((r) => r.reference === refs.evil)!.category).toBe(`'${evil.name}`);
    const summary = csvOf((await get(ctx, `/portal/${w.slug}/open-data/summary.csv`)).body);
    expect(summary.some((r) => r.name === `'${evil.name}`)).toBe(true);
    const page = (await get(ctx, `/portal/${w.slug}/open-data`)).body;
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('is linked from every portal page and answers "Page not found" while the portal is off', async () => {
    expect((await get(ctx, `/portal/${w.slug}?lang=es`)).body).toContain(`<a href="/portal/${w.slug}/open-data?lang=es">Datos abiertos</a>`);
    const off = await portalOffice(ctx);
    ok(await off.admin.api('PUT', '/api/v1/intake/public-form', { enabled: false, categoryIds: null }), 200);
    for (const path of ['open-data', 'open-data/reports.csv', 'open-data/reports.geojson', 'open-data/summary.csv']) {
      expect((await get(ctx, `/portal/${off.slug}/${path}`)).statusCode, path).toBe(404);
    }
  });

  it('without wards: says so, maps the reports in their own box, and has no ward column or rows', async () => {
    const res = await get(ctx, `/portal/${other.slug}/open-data?lang=en`);
    expect(textOf(res.body)).toContain('has not published its ward boundaries');
    expect(res.body).toContain(refs.other);
    expect(res.body.match(/<circle /g)).toHaveLength(1);
    expect(res.body).not.toContain('<path ');
    expect(res.body).not.toContain('>Ward</th>');
    expect(csvOf((await get(ctx, `/portal/${other.slug}/open-data/summary.csv`)).body).filter((r) => r.breakdown === 'ward')).toEqual([]);
  });
});

describe('an office with many open reports', () => {
  it('draws them as cells, and lists them 50 a page', async () => {
    const w = await portalOffice(ctx);
    await sql`INSERT INTO cases (office_id, reference, subject, channel, category_id, lat, lng, created_at)
      SELECT ${w.office.id}::uuid, 'M-2026-' || lpad(n::text, 5, '0'), 'Bulk', 'web', ${w.category.id}::uuid, 0.5 + (n % 30) / 100.0, 0.5 + (n / 30) / 100.0, now() - n * interval '1 minute'
      FROM generate_series(1, 450) n`.execute(ctx.database.db);
    const res = await get(ctx, `/portal/${w.slug}/open-data?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(textOf(res.body)).toContain('counted by area');
    const circles = res.body.match(/<circle /g)!.length;
    expect(circles).toBeGreaterThan(10);
    expect(circles).toBeLessThan(450);
    expect(textOf(res.body)).toContain('450 open requests may be shown publicly');
    expect(res.body).toContain('M-2026-00001');
    expect(res.body).not.toContain('M-2026-00051');
    expect(res.body).toContain(`href="/portal/${w.slug}/open-data?lang=en&amp;page=2#od-list"`);
    const last = await get(ctx, `/portal/${w.slug}/open-data?lang=en&page=9`);
    expect(last.body).toContain('M-2026-00450');
    expect(textOf(last.body)).toContain('Page 9 of 9');
    // Past the end is the last page; nonsense is the first.
    expect((await get(ctx, `/portal/${w.slug}/open-data?page=99`)).body).toContain('M-2026-00450');
    expect((await get(ctx, `/portal/${w.slug}/open-data?page=x`)).body).toContain('M-2026-00001');
    expect(csvOf((await get(ctx, `/portal/${w.slug}/open-data/reports.csv`)).body)).toHaveLength(450);
  });
});
