// Emerging issues end to end on a real database: a planted spike raises exactly one alert
// (and tells the managers once), a busy weekday-heavy pair never does, later runs update
// rather than duplicate, acknowledgement silences the same cluster but not a further rise,
// settings are checked, window days are office-local, sensitive cases stay hidden from
// analysts, offices never see each other's alerts. History is planted by inserting case
// rows directly with past created_at (thousands through the API would be slow); the scan
// route's test opens its cases through the real API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertScanResult, AlertSettings, InsightAlert, InsightAlertDetail } from '../../../contract/insights.js';
import type { Office } from '../../../contract/offices.js';
import { createOffice, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { Jobs } from '../../platform/jobs.js';
import { systemScope } from '../../platform/scope.js';
import { casework, ok, refused, squareWard, staffMember, type Staff } from '../cases/cases.testkit.js';
import { addDays, FLOOR_PER_DAY } from './insights.alerts-model.js';
import { scanOffice } from './insights.alerts.js';
import { defineInsightAlertJobs, INSIGHT_ALERTS_JOB, scanAllOffices } from './insights.alerts-jobs.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

const silent = { info: () => undefined, error: () => undefined };

/** Wednesday 25 November 2026, 15:00 in London (UTC in winter). */
const NOW = new Date('2026-11-25T15:00:00Z');

async function world() {
  const w = await casework(ctx);
  const flooding = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Flooding') }), 201) as { id: string; name: string };
  const potholes = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') }), 201) as { id: string; name: string };
  const { ward, other } = await twoWards(w.admin);
  return { ...w, flooding, potholes, ward, other };
}

/** Riverside covers lng 0..1, lat 0..1; Hilltop lng 2..3 (one import: an import replaces the layer). */
async function twoWards(admin: Staff): Promise<{ ward: string; other: string }> {
  const square = (x: number) => [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]];
  const features = [['W1', 'Riverside', 0], ['W2', 'Hilltop', 2]].map(([code, name, x]) => ({ type: 'Feature', properties: { code, name }, geometry: { type: 'Polygon', coordinates: square(x as number) } }));
  ok(await admin.api('POST', '/api/v1/geo/boundaries/import', { layer: 'ward', geojson: { type: 'FeatureCollection', features } }), 200);
  const list = ok(await admin.api('GET', '/api/v1/geo/boundaries?layer=ward'), 200) as { items: { id: string; code: string }[] };
  return { ward: list.items.find((b) => b.code === 'W1')!.id, other: list.items.find((b) => b.code === 'W2')!.id };
}
type World = Awaited<ReturnType<typeof world>>;

type Plant = { at: Date; categoryId: string | null; wardId: string | null; sensitive?: boolean; lat?: number; lng?: number };

/** Case rows straight into the table, with the given creation times. */
async function plant(officeId: string, cases: Plant[]): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < cases.length; i += 500) {
    const rows = await ctx.database.db.insertInto('cases').values(cases.slice(i, i + 500).map((c) => ({
      office_id: officeId, reference: uniq('T'), subject: 'Water in the street', channel: 'phone' as const, category_id: c.categoryId, ward_id: c.wardId,
      is_sensitive: c.sensitive ?? false, lat: c.lat ?? null, lng: c.lng ?? null, created_at: c.at, updated_at: c.at,
    }))).returning('id').execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

/** n cases of a pair at the given instants. */
const at = (w: World, times: Date[], categoryId = w.flooding.id, wardId: string | null = w.ward, extra: Partial<Plant> = {}) =>
  plant(w.office.id, times.map((t, i) => ({ at: t, categoryId, wardId, lat: 0.1 + i * 0.05, lng: 0.2 + i * 0.05, ...extra })));

const hours = (base: Date, ...h: number[]) => h.map((x) => new Date(base.getTime() + x * 3600_000));

/** The planted spike: three reports yesterday and three today, before NOW. */
const spikeTimes = () => [...hours(new Date('2026-11-24T00:00:00Z'), 9, 11, 16), ...hours(new Date('2026-11-25T00:00:00Z'), 8, 10, 13)];

/** Background: two pothole reports a week in Riverside for 14 weeks, so the office has a history. */
async function background(w: World, until = NOW): Promise<void> {
  const times: Date[] = [];
  for (let d = 3; d < 98; d += 3.5) times.push(new Date(until.getTime() - d * 86_400_000));
  await at(w, times, w.potholes.id);
}

const scan = (w: { office: Office }, now = NOW) => scanOffice(systemScope(ctx.database.db, w.office.id, 'test'), now);
const alerts = async (as: Staff, status = 'all') => (ok(await as.api('GET', `/api/v1/insights/alerts?status=${status}`), 200) as { items: InsightAlert[] }).items;
const notifications = async (userId: string, officeId: string) =>
  ctx.database.db.selectFrom('notifications').select(['kind', 'body']).where('office_id', '=', officeId).where('user_id', '=', userId).where('kind', '=', 'insight_alert').execute();
const events = async (officeId: string, entity: string, action: string) =>
  ctx.database.db.selectFrom('events').select(['entity_id', 'before', 'after', 'actor_label']).where('office_id', '=', officeId).where('entity_type', '=', entity).where('action', '=', action).execute();

describe('the detector', () => {
  it('raises exactly one alert for six flooding reports in one ward in two days over a quiet history, and tells the managers once', async () => {
    const w = await world();
    await background(w);
    const spike = await at(w, spikeTimes());
    await at(w, hours(new Date('2026-11-25T00:00:00Z'), 9, 10, 11, 12, 13, 14), w.flooding.id, null); // no ward: not counted
    await at(w, hours(new Date('2026-11-23T00:00:00Z'), 12)); // the day before the window
    await at(w, [new Date('2026-11-25T15:30:00Z')]); // after "now"
    const r = await scan(w);
    expect(r).toMatchObject({ enabled: true, windowFrom: '2026-11-24', windowTo: '2026-11-25', silenced: 0, updated: [] });
    expect(r.raised).toHaveLength(1);
    const a = r.raised[0]!;
    expect(a).toMatchObject({ categoryId: w.flooding.id, categoryName: w.flooding.name, wardId: w.ward, wardName: 'Riverside', observed: 6, status: 'open' });
    // One report three days ago, then the window: the level is tiny, so the floor (one report in four weeks) decides.
    expect(a.expected).toBeCloseTo(FLOOR_PER_DAY * (1 + 15 / 24), 6);
    expect(a.pValue).toBeLessThan(1e-6);
    expect(a.bbox).toEqual([0.2, 0.1, 0.2 + 5 * 0.05, 0.1 + 5 * 0.05].map((x) => expect.closeTo(x, 9)));
    const detail = ok(await w.manager.api('GET', `/api/v1/insights/alerts/${a.id}`), 200) as InsightAlertDetail;
    expect(detail.cases.map((c) => c.id).sort()).toEqual([...spike].sort());
    expect(detail.cases[0]).toMatchObject({ subject: 'Water in the street', status: 'new', lat: 0.1, lng: 0.2 });
    expect(await alerts(w.analyst)).toHaveLength(1);
    for (const u of [w.manager, w.admin]) expect(await notifications(u.user.id, w.office.id)).toHaveLength(1);
    expect((await notifications(w.manager.user.id, w.office.id))[0]!.body).toContain(`6 reports of ${w.flooding.name} in Riverside`);
    for (const u of [w.caseworker, w.analyst]) expect(await notifications(u.user.id, w.office.id)).toHaveLength(0);

    // A second run updates the open alert, taking in the report at 15:30 and one more; nobody is told again.
    const [latest] = await at(w, [new Date('2026-11-25T16:00:00Z')]);
    const later = new Date('2026-11-25T17:00:00Z');
    const again = await scan(w, later);
    expect(again.raised).toEqual([]);
    expect(again.updated.map((u) => [u.id, u.observed])).toEqual([[a.id, 8]]);
    const updated = ok(await w.manager.api('GET', `/api/v1/insights/alerts/${a.id}`), 200) as InsightAlertDetail;
    expect(updated.cases.map((c) => c.id)).toContain(latest);
    expect(updated.expected).toBeCloseTo(FLOOR_PER_DAY * (1 + 17 / 24), 6);
    expect(Date.parse(updated.updatedAt)).toBeGreaterThan(Date.parse(a.updatedAt));
    expect(await alerts(w.manager)).toHaveLength(1);
    expect(await notifications(w.manager.user.id, w.office.id)).toHaveLength(1);
  });

  it('never alerts on a busy, steady, weekday-heavy pair, whatever the weekday', async () => {
    const w = await world();
    // 30 a week: 12 on Mondays, 10 Tuesdays, 4, 2, 2, none at weekends; at local hours 9..(9+n/2).
    const perDay = [12, 10, 4, 2, 2, 0, 0];
    const times: Date[] = [];
    for (let d = 0; d < 15 * 7; d++) {
      const day = addDays('2026-12-06', -d);
      const dow = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
      for (let i = 0; i < perDay[dow]!; i++) times.push(new Date(`${day}T${String(9 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}:00Z`));
    }
    await at(w, times, w.potholes.id);
    for (let d = 0; d < 7; d++) {
      const r = await scan(w, new Date(`${addDays('2026-11-30', d)}T20:00:00Z`));
      expect(r.raised, `run on ${addDays('2026-11-30', d)}`).toEqual([]);
      expect(r.pairs).toBe(d === 6 ? 0 : 1); // Saturday and Sunday have no reports
    }
    expect(await alerts(w.manager)).toEqual([]);
  });

  it('silences the acknowledged cluster, raises again on a further rise, and can undo an acknowledgement', async () => {
    const w = await world();
    await background(w);
    await at(w, spikeTimes());
    const first = (await scan(w)).raised[0]!;
    refused(await w.analyst.api('POST', `/api/v1/insights/alerts/${first.id}/acknowledge`, {}), 403, 'forbidden');
    const acked = ok(await w.manager.api('POST', `/api/v1/insights/alerts/${first.id}/acknowledge`, { note: 'Burst main, Water board on it' }), 200) as InsightAlert;
    expect(acked).toMatchObject({ status: 'acknowledged', note: 'Burst main, Water board on it', acknowledgedBy: expect.any(String) });
    expect(acked.acknowledgedAt).not.toBeNull();
    refused(await w.manager.api('POST', `/api/v1/insights/alerts/${first.id}/acknowledge`, {}), 409, 'conflict');
    expect((await events(w.office.id, 'insight_alert', 'acknowledged')).map((e) => e.entity_id)).toEqual([first.id]);

    // The same cluster an hour later: still unusual, but silenced.
    const same = await scan(w, new Date('2026-11-25T16:00:00Z'));
    expect(same).toMatchObject({ raised: [], updated: [], silenced: 1 });
    expect(await alerts(w.manager, 'open')).toEqual([]);

    // One more report: a new alert, and the managers hear about it.
    await at(w, [new Date('2026-11-25T16:30:00Z')]);
    const rise = await scan(w, new Date('2026-11-25T17:00:00Z'));
    expect(rise.raised.map((a) => a.observed)).toEqual([7]);
    const second = rise.raised[0]!;
    expect(second.id).not.toBe(first.id);
    expect(await notifications(w.manager.user.id, w.office.id)).toHaveLength(2);

    // Undoing the first is refused while the newer one is open; after acknowledging that, undoing it works.
    refused(await w.manager.api('POST', `/api/v1/insights/alerts/${first.id}/reopen`), 409, 'conflict');
    ok(await w.manager.api('POST', `/api/v1/insights/alerts/${second.id}/acknowledge`, {}), 200);
    const reopened = ok(await w.manager.api('POST', `/api/v1/insights/alerts/${second.id}/reopen`), 200) as InsightAlert;
    expect(reopened).toMatchObject({ status: 'open', acknowledgedAt: null, acknowledgedBy: null, note: null });
    refused(await w.manager.api('POST', `/api/v1/insights/alerts/${second.id}/reopen`), 409, 'conflict');
    const undo = await events(w.office.id, 'insight_alert', 'reopened');
    expect(undo.map((e) => e.entity_id)).toEqual([second.id]);
    expect(await alerts(w.manager, 'open')).toHaveLength(1);
    // An open alert is updated again by the next run.
    expect((await scan(w, new Date('2026-11-25T18:00:00Z'))).updated.map((a) => a.id)).toEqual([second.id]);
  });

  it('counts in office-local days, for an office far from UTC', async () => {
    const office = await createOffice(ctx, { timeZone: 'Pacific/Kiritimati' }); // UTC+14
    const admin = await staffMember(ctx, office, 'admin');
    const category = ok(await admin.api('POST', '/api/v1/case-categories', { name: uniq('Flooding') }), 201) as { id: string };
    const ward = await squareWard(admin);
    const now = new Date('2026-11-25T11:00:00Z'); // 01:00 on 26 November in Kiritimati
    // Local 25 November 00:30 onwards (in the window), and local 24 November 23:30 (not), which a UTC window would count.
    const inside = hours(new Date('2026-11-24T10:30:00Z'), 0, 2, 4, 6, 8);
    await plant(office.id, [...inside, new Date('2026-11-24T09:30:00Z')].map((t) => ({ at: t, categoryId: category.id, wardId: ward })));
    const r = await scan({ office }, now);
    expect(r).toMatchObject({ windowFrom: '2026-11-25', windowTo: '2026-11-26' });
    expect(r.raised.map((a) => a.observed)).toEqual([5]);
    expect(r.raised[0]!.expected).toBeCloseTo(FLOOR_PER_DAY * (1 + 1 / 24), 6);
  });

  it('follows merged categories, and an alert on a category merged away stays readable with its name', async () => {
    const w = await world();
    await background(w);
    await at(w, spikeTimes());
    const a = (await scan(w)).raised[0]!;
    const into = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Drainage') }), 201) as { id: string; name: string };
    ok(await w.admin.api('POST', `/api/v1/case-categories/${w.flooding.id}/merge`, { intoId: into.id }), 200);
    const r = await scan(w, new Date('2026-11-25T16:00:00Z'));
    expect(r.updated).toEqual([]);
    expect(r.raised.map((x) => [x.categoryId, x.categoryName, x.observed])).toEqual([[into.id, into.name, 6]]);
    const old = ok(await w.analyst.api('GET', `/api/v1/insights/alerts/${a.id}`), 200) as InsightAlertDetail;
    expect(old).toMatchObject({ categoryId: w.flooding.id, categoryName: w.flooding.name, status: 'open', observed: 6 });
    expect(old.cases).toHaveLength(6);
  });
});

describe('reading alerts', () => {
  it('lists sensitive cases only to staff with case.sensitive, counting them for everyone', async () => {
    const w = await world();
    await background(w);
    const open = await at(w, spikeTimes().slice(0, 4));
    const secret = await plant(w.office.id, hours(new Date('2026-11-25T00:00:00Z'), 11, 12).map((t, i) => ({ at: t, categoryId: w.flooding.id, wardId: w.ward, sensitive: true, lat: 0.9, lng: 0.9 + i * 0.01 })));
    const a = (await scan(w)).raised[0]!;
    const seen = ok(await w.analyst.api('GET', `/api/v1/insights/alerts/${a.id}`), 200) as InsightAlertDetail;
    expect(seen.observed).toBe(6);
    expect(seen.cases.map((c) => c.id).sort()).toEqual([...open].sort());
    expect(seen.bbox![2]).toBeLessThan(0.9); // the sensitive cases' places are not in the analyst's box
    const listed = (await alerts(w.analyst))[0]!;
    expect(listed.bbox).toEqual(seen.bbox);
    const full = ok(await w.manager.api('GET', `/api/v1/insights/alerts/${a.id}`), 200) as InsightAlertDetail;
    expect(full.cases).toHaveLength(6);
    expect(full.bbox![2]).toBeCloseTo(0.91, 9);
    const reads = await ctx.database.db.selectFrom('events').select('case_id').where('office_id', '=', w.office.id).where('action', '=', 'viewed').execute();
    expect(reads.map((e) => e.case_id).sort()).toEqual([...secret].sort());
  });

  it('pages newest first, refuses bad cursors and queries, and exports CSV with formulas defused', async () => {
    const w = await world();
    await background(w);
    const evil = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: `=HYPERLINK("http://x.example","${uniq('c')}")` }), 201) as { id: string };
    await at(w, spikeTimes());
    await at(w, spikeTimes(), w.potholes.id, w.other);
    await at(w, spikeTimes(), evil.id);
    const r = await scan(w);
    expect(r.raised).toHaveLength(3);
    const page1 = ok(await w.analyst.api('GET', '/api/v1/insights/alerts?limit=2'), 200) as { items: InsightAlert[]; nextCursor: string };
    expect(page1.items).toHaveLength(2);
    const page2 = ok(await w.analyst.api('GET', `/api/v1/insights/alerts?limit=2&cursor=${page1.nextCursor}`), 200) as { items: InsightAlert[]; nextCursor: string | null };
    expect(page2.items).toHaveLength(1);
    expect(page2.nextCursor).toBeNull();
    const ids = [...page1.items, ...page2.items].map((a) => a.id);
    expect(ids).toEqual([...ids].sort().reverse());
    refused(await w.analyst.api('GET', '/api/v1/insights/alerts?cursor=bogus'), 400, 'invalid_cursor', 'cursor');
    refused(await w.analyst.api('GET', '/api/v1/insights/alerts?status=closed'), 400, 'validation_failed');
    refused(await w.analyst.api('GET', '/api/v1/insights/alerts?limit=500'), 400, 'validation_failed');
    refused(await w.analyst.api('GET', '/api/v1/insights/alerts/not-a-uuid'), 400, 'validation_failed');
    refused(await w.analyst.api('GET', '/api/v1/insights/alerts/00000000-0000-7000-8000-000000000000'), 404, 'not_found');
    refused(await w.caseworker.api('GET', '/api/v1/insights/alerts'), 403, 'forbidden');

    const res = await w.analyst.api('GET', '/api/v1/insights/alerts.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines[0]).toBe('id,status,category,ward,window_from,window_to,observed,expected,p_value,raised_at,updated_at,acknowledged_at,acknowledged_by,note,west,south,east,north,category_id,ward_id');
    expect(lines).toHaveLength(4);
    expect(res.body).toContain(`"'=HYPERLINK(`);
    expect(res.body).not.toMatch(/,"?=HYPERLINK/);
    expect(await events(w.office.id, 'insight_alert_export', 'exported')).toHaveLength(1);
  });
});

describe('settings and the scan route', () => {
  it('has defaults, checks changes naming the field, audits them, and a disabled office raises nothing', async () => {
    const w = await world();
    expect(ok(await w.analyst.api('GET', '/api/v1/insights/alert-settings'), 200)).toEqual({ enabled: true, windowDays: 2, historyWeeks: 12, minCount: 5, pValue: 0.001 });
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { windowDays: 0 }), 400, 'validation_failed', 'windowDays');
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { historyWeeks: 200 }), 400, 'validation_failed', 'historyWeeks');
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { minCount: 1 }), 400, 'validation_failed', 'minCount');
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { pValue: 0.5 }), 400, 'validation_failed', 'pValue');
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { windowDays: 2.5 }), 400, 'validation_failed', 'windowDays');
    refused(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { threshold: 3 }), 400, 'validation_failed');
    refused(await w.analyst.api('PUT', '/api/v1/insights/alert-settings', { enabled: false }), 403, 'forbidden');
    refused(await w.analyst.api('POST', '/api/v1/insights/alerts/scan'), 403, 'forbidden');
    const changed = ok(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { enabled: false, minCount: 6 }), 200) as AlertSettings;
    expect(changed).toEqual({ enabled: false, windowDays: 2, historyWeeks: 12, minCount: 6, pValue: 0.001 });
    expect(ok(await w.analyst.api('GET', '/api/v1/insights/alert-settings'), 200)).toEqual(changed);
    const audited = await events(w.office.id, 'insight_alert_settings', 'updated');
    expect(audited).toHaveLength(1);
    expect(audited[0]!.before).toMatchObject({ enabled: true, minCount: 5 });
    expect(audited[0]!.after).toMatchObject({ enabled: false, minCount: 6 });

    await at(w, spikeTimes());
    expect(await scan(w)).toEqual({ enabled: false, windowFrom: null, windowTo: null, pairs: 0, raised: [], updated: [], silenced: 0 });
    expect(await alerts(w.manager)).toEqual([]);
    // minCount 6 with six reports raises once enabled again; minCount 7 would not have.
    ok(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { enabled: true, minCount: 7 }), 200);
    expect((await scan(w)).raised).toEqual([]);
    ok(await w.manager.api('PUT', '/api/v1/insights/alert-settings', { minCount: 6 }), 200);
    expect((await scan(w)).raised.map((a) => a.observed)).toEqual([6]);
  });

  it('scans now through the API, with cases opened through the API', async () => {
    const w = await world();
    for (let i = 0; i < 6; i++) {
      ok(await w.caseworker.api('POST', '/api/v1/cases', { subject: `Flooded cellar ${i}`, channel: 'phone', categoryId: w.flooding.id, location: { lat: 0.5, lng: 0.4 + i / 100 } }), 201);
    }
    const r = ok(await w.manager.api('POST', '/api/v1/insights/alerts/scan'), 200) as AlertScanResult;
    expect(r.raised.map((a) => [a.categoryId, a.wardId, a.observed])).toEqual([[w.flooding.id, w.ward, 6]]);
    expect(r.raised[0]!.bbox).toEqual([0.4, 0.5, expect.closeTo(0.45, 9), 0.5]);
    const again = ok(await w.manager.api('POST', '/api/v1/insights/alerts/scan'), 200) as AlertScanResult;
    expect(again.raised).toEqual([]);
    expect(again.updated.map((a) => a.id)).toEqual([r.raised[0]!.id]);
  });
});

describe('offices and the job', () => {
  it("keeps each office's detection and alerts to itself", async () => {
    const a = await world();
    const b = await world();
    await background(b);
    await at(b, spikeTimes());
    expect((await scan(a)).raised).toEqual([]);
    const alert = (await scan(b)).raised[0]!;
    expect(alert.observed).toBe(6);
    expect(await alerts(a.manager)).toEqual([]);
    refused(await a.manager.api('GET', `/api/v1/insights/alerts/${alert.id}`), 404, 'not_found');
    refused(await a.manager.api('POST', `/api/v1/insights/alerts/${alert.id}/acknowledge`, {}), 404, 'not_found');
    refused(await a.manager.api('POST', `/api/v1/insights/alerts/${alert.id}/reopen`), 404, 'not_found');
    ok(await a.manager.api('PUT', '/api/v1/insights/alert-settings', { enabled: false }), 200);
    expect(ok(await b.manager.api('GET', '/api/v1/insights/alert-settings'), 200)).toMatchObject({ enabled: true });
    expect((ok(await b.manager.api('GET', `/api/v1/insights/alerts/${alert.id}`), 200) as InsightAlertDetail).status).toBe('open');
  });

  it('the hourly job scans every enabled office, on a singleton queue', async () => {
    const on = await world();
    const off = await world();
    for (const w of [on, off]) await at(w, spikeTimes());
    ok(await off.manager.api('PUT', '/api/v1/insights/alert-settings', { enabled: false }), 200);
    const r = await scanAllOffices(ctx.database, silent, NOW);
    expect(r.failed).toBe(0);
    expect(r.raised).toBeGreaterThanOrEqual(1);
    expect((await alerts(on.manager)).map((a) => a.observed)).toEqual([6]);
    expect(await alerts(off.manager)).toEqual([]);

    const jobs = new Jobs(ctx.database.pool, silent);
    defineInsightAlertJobs(jobs, ctx.database, silent);
    expect(jobs.names).toEqual([INSIGHT_ALERTS_JOB]);
    await jobs.start({ work: false });
    try {
      expect((await jobs.boss.getQueue(INSIGHT_ALERTS_JOB))?.policy).toBe('singleton');
    } finally {
      await jobs.stop();
    }
  });
});
