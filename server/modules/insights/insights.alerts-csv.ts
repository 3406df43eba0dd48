// The alerts as CSV (one row per alert, newest first), through the list's own query page by
// page. Cells pass the same formula-injection guard as every other export (safeCell).
import { stringify } from 'csv-stringify/sync';
import type { InsightAlert } from '../../../contract/insights.js';
import * as audit from '../../platform/audit/audit.js';
import type { Scope } from '../../platform/scope.js';
import { safeCell } from '../imports/imports.export.js';
import { list, type AlertViewer } from './insights.alerts.js';

export const ALERT_CSV_COLUMNS = [
  'id', 'status', 'category', 'ward', 'window_from', 'window_to', 'observed', 'expected', 'p_value', 'raised_at', 'updated_at',
  'acknowledged_at', 'acknowledged_by', 'note', 'west', 'south', 'east', 'north', 'category_id', 'ward_id',
] as const;

function line(a: InsightAlert): string[] {
  const cells = [
    a.id, a.status, a.categoryName, a.wardName, a.windowFrom, a.windowTo, String(a.observed), a.expected.toFixed(3), a.pValue.toExponential(3),
    a.raisedAt, a.updatedAt, a.acknowledgedAt ?? '', a.acknowledgedBy ?? '', a.note ?? '', ...(a.bbox ?? ['', '', '', '']).map(String), a.categoryId ?? '', a.wardId ?? '',
  ];
  return cells.map(safeCell);
}

export async function alertsCsv(scope: Scope, viewer: AlertViewer, status: 'open' | 'acknowledged' | 'all'): Promise<{ fileName: string; body: string }> {
  const rows: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await list(scope, viewer, { status, limit: 100, cursor });
    rows.push(...page.items.map(line));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  await audit.record(scope.db, scope, { entity: 'insight_alert_export', id: scope.officeId, action: 'exported', after: { status, rows: rows.length } });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { fileName: `emerging-issues-${stamp}.csv`, body: stringify(rows, { header: true, columns: [...ALERT_CSV_COLUMNS], bom: true }) };
}
