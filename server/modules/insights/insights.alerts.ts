// Emerging issues: the detector that compares each category and ward's reports in the recent
// window with what its own history leads one to expect (insights.alerts-model.ts), raises an
// alert when the cluster is unusual, keeps it up to date while it is open, and tells the
// office's managers once; plus reading, acknowledging and the settings. See docs/INSIGHTS.md.
//
// Module map: insights.alerts-model.ts (the statistics, pure), this file (rules),
// insights.alerts-repo.ts (SQL), insights.alerts-routes.ts (HTTP), insights.alerts-csv.ts
// (the CSV download), insights.alerts-jobs.ts (the hourly job).
import { z } from 'zod';
import {
  ZAlertListQuery, ZUpdateAlertSettings, type AlertScanResult, type AlertSettings, type InsightAlert, type InsightAlertDetail,
} from '../../../contract/insights.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/http/pagination.js';
import { actingUserId, withDb, type Scope } from '../../platform/scope.js';
import { logSensitiveRead } from '../cases/cases.service.js';
import { notify } from '../notifications/notifications.service.js';
import { expectedInWindow, judge, officeProfile, spanOf, type DailyCounts } from './insights.alerts-model.js';
import * as repo from './insights.alerts-repo.js';

/** Who is reading: sensitive cases are listed (and their locations used) only with case.sensitive. */
export type AlertViewer = { canSeeSensitive: boolean };

const notFound = () => new DomainError('not_found', { message: 'No such alert in this office' });

// ---------------------------------------------------------------- presenting

export function present(r: repo.ListedAlertRow): InsightAlert {
  return {
    id: r.id, categoryId: r.category_id, categoryName: r.current_category_name ?? r.category_name, wardId: r.ward_id, wardName: r.current_ward_name ?? r.ward_name,
    windowFrom: r.window_from, windowTo: r.window_to, observed: r.observed, expected: r.expected, pValue: r.p_value, status: r.status,
    raisedAt: r.raised_at.toISOString(), updatedAt: r.updated_at.toISOString(), acknowledgedAt: r.acknowledged_at ? r.acknowledged_at.toISOString() : null,
    acknowledgedBy: r.acknowledged_by_label, note: r.note,
    bbox: r.west !== null && r.south !== null && r.east !== null && r.north !== null ? [r.west, r.south, r.east, r.north] : null,
  };
}

const presentSettings = (s: repo.SettingsRow): AlertSettings => ({ enabled: s.enabled, windowDays: s.window_days, historyWeeks: s.history_weeks, minCount: s.min_count, pValue: s.p_value });

// ---------------------------------------------------------------- the detector

type Pair = { categoryId: string; wardId: string; history: DailyCounts; observed: number };

/** Groups the count rows by pair (window days apart), and sums the office's history per day for the day-of-week prior. */
function pairsOf(rows: repo.CountRow[], windowFrom: string): { pairs: Map<string, Pair>; office: DailyCounts } {
  const pairs = new Map<string, Pair>();
  const office: DailyCounts = new Map();
  for (const r of rows) {
    const key = `${r.category_id}/${r.ward_id}`;
    const pair: Pair = pairs.get(key) ?? { categoryId: r.category_id, wardId: r.ward_id, history: new Map(), observed: 0 };
    pairs.set(key, pair);
    if (r.day >= windowFrom) {
      pair.observed += r.n;
    } else {
      pair.history.set(r.day, r.n);
      office.set(r.day, (office.get(r.day) ?? 0) + r.n);
    }
  }
  return { pairs, office };
}

/**
 * One run for one office at `now`, in one transaction that holds the office's settings row,
 * so two runs of an office (the hourly job and "scan now") never interleave. A pair found
 * unusual updates its open alert; else, if its latest acknowledged alert's window overlaps
 * this one and this cluster is no bigger, it stays silent; else a new alert is raised and
 * the office's active managers and admins are told once.
 */
export async function scanOffice(scope: Scope, now: Date = new Date(), viewer: AlertViewer = { canSeeSensitive: false }): Promise<AlertScanResult> {
  const officeId = scope.officeId;
  const ids = await inTransaction(scope.db, async (trx) => {
    const s = await repo.lockSettings(trx, officeId);
    const clk = await repo.clock(trx, officeId, now);
    if (!s.enabled || !clk) return null;
    const elapsed = (now.getTime() - clk.todayStart.getTime()) / (clk.tomorrowStart.getTime() - clk.todayStart.getTime());
    const span = spanOf(clk.today, s.window_days, s.history_weeks, elapsed);
    const windowFrom = span.windowDays[0]!;
    const rows = await repo.counts(trx, officeId, { timeZone: clk.timeZone, historyFrom: span.historyFrom, now });
    const { pairs, office } = pairsOf(rows, windowFrom);
    const prior = officeProfile(span, office);
    const findings: Omit<repo.Finding, 'categoryName' | 'wardName'>[] = [];
    let active = 0;
    for (const p of pairs.values()) {
      if (p.observed) active++;
      if (p.observed < s.min_count) continue;
      const v = judge(p.observed, expectedInWindow(span, p.history, prior), { minCount: s.min_count, pValue: s.p_value });
      if (v.isUnusual) findings.push({ categoryId: p.categoryId, wardId: p.wardId, windowFrom, windowTo: clk.today, observed: v.observed, expected: v.expected, pValue: v.pValue, caseIds: [] });
    }
    // The cases of the unusual pairs only: a short range of the window.
    const byPair = new Map(findings.map((f) => [`${f.categoryId}/${f.wardId}`, f]));
    for (const c of await repo.windowCases(trx, officeId, { timeZone: clk.timeZone, windowFrom, now, pairs: findings })) byPair.get(`${c.category_id}/${c.ward_id}`)?.caseIds.push(c.id);
    const categories = await repo.categoryNames(trx, officeId, [...new Set(findings.map((f) => f.categoryId))]);
    const wards = await repo.wardNames(trx, officeId, [...new Set(findings.map((f) => f.wardId))]);
    const raised: string[] = [];
    const updated: string[] = [];
    let silenced = 0;
    const inTrx = withDb(scope, trx);
    for (const partial of findings) {
      const f: repo.Finding = { ...partial, categoryName: categories.get(partial.categoryId) ?? 'Unknown category', wardName: wards.get(partial.wardId) ?? 'Unknown ward' };
      const state = await repo.pairState(trx, officeId, f.categoryId, f.wardId);
      if (state.open) {
        await repo.refresh(trx, officeId, state.open.id, f);
        updated.push(state.open.id);
      } else if (state.acknowledged && state.acknowledged.window_to >= f.windowFrom && f.observed <= state.acknowledged.observed) {
        silenced++;
      } else {
        const id = await repo.insert(trx, officeId, f);
        raised.push(id);
        await audit.record(trx, inTrx, { entity: 'insight_alert', id, action: 'raised', after: { ...f, caseIds: f.caseIds.length } });
        await tell(trx, officeId, id, f, s.window_days);
      }
    }
    return { windowFrom, windowTo: clk.today, pairs: active, raised, updated, silenced };
  });
  if (!ids) return { enabled: false, windowFrom: null, windowTo: null, pairs: 0, raised: [], updated: [], silenced: 0 };
  const load = async (id: string) => present((await repo.get(scope.db, officeId, id, viewer.canSeeSensitive))!);
  return { enabled: true, ...ids, raised: await Promise.all(ids.raised.map(load)), updated: await Promise.all(ids.updated.map(load)) };
}

async function tell(trx: Executor, officeId: string, id: string, f: repo.Finding, windowDays: number): Promise<void> {
  const days = windowDays === 1 ? 'today' : `in ${windowDays} days`;
  const body = `Emerging issue: ${f.observed} reports of ${f.categoryName} in ${f.wardName} ${days}, where about ${f.expected.toFixed(1)} were expected. See Insights, Emerging issues.`;
  await notify(trx, officeId, (await repo.managerIds(trx, officeId)).map((userId) => ({ userId, kind: 'insight_alert', caseId: null, body: body.slice(0, 2000), dedupeKey: `insight-alert:${id}` })));
}

// ---------------------------------------------------------------- reading

export async function list(scope: Scope, viewer: AlertViewer, query: z.input<typeof ZAlertListQuery>): Promise<{ items: InsightAlert[]; nextCursor: string | null }> {
  const q = ZAlertListQuery.parse(query);
  const after = decodeCursor(q.cursor, z.tuple([z.uuid()]));
  const rows = await repo.list(scope.db, scope.officeId, { status: q.status, beforeId: after?.[0], limit: q.limit + 1, includeSensitive: viewer.canSeeSensitive });
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items: items.map(present), nextCursor: rows.length > q.limit && last ? encodeCursor([last.id]) : null };
}

/** The alert with its cluster's cases: sensitive ones only for viewers who may see them (and those reads are logged). */
export async function get(scope: Scope, viewer: AlertViewer, id: string): Promise<InsightAlertDetail> {
  const row = await repo.get(scope.db, scope.officeId, id, viewer.canSeeSensitive);
  if (!row) throw notFound();
  const cases = (await repo.clusterCases(scope.db, scope.officeId, row.case_ids)).filter((c) => viewer.canSeeSensitive || !c.is_sensitive);
  const sensitive = cases.filter((c) => c.is_sensitive);
  if (sensitive.length) await logSensitiveRead(scope.db, scope, sensitive, 'insight alert');
  return {
    ...present(row),
    cases: cases.map((c) => ({ id: c.id, reference: c.reference, subject: c.subject, status: c.status, createdAt: c.created_at.toISOString(), lat: c.lat, lng: c.lng })),
  };
}

// ---------------------------------------------------------------- acknowledging

export async function acknowledge(scope: Scope, viewer: AlertViewer, id: string, note: string | undefined): Promise<InsightAlert> {
  await inTransaction(scope.db, async (trx) => {
    const before = await repo.lock(trx, scope.officeId, id);
    if (!before) throw notFound();
    if (before.status === 'acknowledged') throw new DomainError('conflict', { message: `This alert was already acknowledged by ${before.acknowledged_by_label ?? 'someone'}` });
    const by = { userId: actingUserId(scope), label: scope.actor.label, note: note?.length ? note : null };
    await repo.acknowledge(trx, scope.officeId, id, by);
    await audit.record(trx, withDb(scope, trx), { entity: 'insight_alert', id, action: 'acknowledged', before: { status: before.status }, after: { status: 'acknowledged', note: by.note } });
  });
  return present((await repo.get(scope.db, scope.officeId, id, viewer.canSeeSensitive))!);
}

/** Undoes an acknowledgement; refused while a newer alert of the same pair is open (acknowledge that one instead). */
export async function reopen(scope: Scope, viewer: AlertViewer, id: string): Promise<InsightAlert> {
  await inTransaction(scope.db, async (trx) => {
    const before = await repo.lock(trx, scope.officeId, id);
    if (!before) throw notFound();
    if (before.status === 'open') throw new DomainError('conflict', { message: 'This alert is open already' });
    const other = await repo.openAlertOf(trx, scope.officeId, before.category_id, before.ward_id);
    if (other) throw new DomainError('conflict', { message: 'A newer alert for this category and ward is open; acknowledge or keep that one instead', extra: { openAlertId: other } });
    await repo.reopen(trx, scope.officeId, id);
    await audit.record(trx, withDb(scope, trx), {
      entity: 'insight_alert', id, action: 'reopened',
      before: { status: before.status, acknowledgedAt: before.acknowledged_at, acknowledgedBy: before.acknowledged_by_label, note: before.note }, after: { status: 'open' },
    });
  });
  return present((await repo.get(scope.db, scope.officeId, id, viewer.canSeeSensitive))!);
}

// ---------------------------------------------------------------- settings

export const settings = async (scope: Scope): Promise<AlertSettings> => presentSettings(await repo.settings(scope.db, scope.officeId));

export async function updateSettings(scope: Scope, input: z.input<typeof ZUpdateAlertSettings>): Promise<AlertSettings> {
  const v = ZUpdateAlertSettings.parse(input);
  return inTransaction(scope.db, async (trx) => {
    const before = await repo.lockSettings(trx, scope.officeId);
    const next: repo.SettingsRow = {
      enabled: v.enabled ?? before.enabled, window_days: v.windowDays ?? before.window_days, history_weeks: v.historyWeeks ?? before.history_weeks,
      min_count: v.minCount ?? before.min_count, p_value: v.pValue ?? before.p_value,
    };
    await repo.saveSettings(trx, scope.officeId, next);
    await audit.record(trx, withDb(scope, trx), { entity: 'insight_alert_settings', id: scope.officeId, action: 'updated', before: presentSettings(before), after: presentSettings(next) });
    return presentSettings(next);
  });
}
