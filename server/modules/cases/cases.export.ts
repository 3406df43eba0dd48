// CSV export of the case list: the list's own query (same filters, same sort), page by page
// through its keyset cursor as the response is sent, so memory stays flat however many cases
// match. Sensitive cases appear only for staff allowed to see them, and each exported one is
// logged as read (via "export") like any other read. One audit event says who exported what.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { CASE_EXPORT_COLUMNS, type CaseExportQuery, type CaseListQuery } from '../../../contract/cases.js';
import type { Page } from '../../../contract/common.js';
import * as audit from '../../platform/audit/audit.js';
import type { Scope } from '../../platform/scope.js';
import { safeCell } from '../imports/imports.export.js';
import { isOverdue } from './cases.present.js';
import type { ListRow } from './cases.search-repo.js';
import { pager } from './cases.search.js';
import type { Viewer } from './cases.service.js';

const PAGE = 200;
const iso = (d: Date | null) => (d ? d.toISOString() : '');

function line(r: ListRow): string[] {
  const cells = [
    r.reference, r.subject, r.status_label, r.status_category, r.priority, r.channel, (r.category_path ?? (r.category_name ? [r.category_name] : [])).join(' > '),
    r.assignee_name ?? '', r.team_name ?? '', r.ward_name ?? '', r.requester_name ?? '', r.tags.join(';'), r.is_sensitive ? 'yes' : 'no',
    iso(r.created_at), iso(r.updated_at), iso(r.resolved_at), iso(r.closed_at), iso(r.first_response_due_at), iso(r.resolution_due_at),
    isOverdue(r) ? 'yes' : 'no', r.id,
  ];
  return cells.map(safeCell);
}

export async function exportCsv(scope: Scope, viewer: Viewer, filters: CaseExportQuery): Promise<{ fileName: string; stream: Readable }> {
  const query: CaseListQuery = { ...filters, limit: PAGE };
  // The first page before answering, so bad filters are a 400 rather than a broken download.
  const next = await pager(scope, viewer, query, 'export');
  const first = await next(undefined);
  let rows = 0;
  let isComplete = false;
  async function* lines() {
    try {
      let current: Page<ListRow> = first;
      for (;;) {
        for (const item of current.items) {
          rows++;
          yield line(item);
        }
        if (!current.nextCursor) break;
        current = await next(current.nextCursor);
      }
      isComplete = true;
    } finally {
      const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      await audit.record(scope.db, scope, { entity: 'case_export', id: randomUUID(), action: 'exported', after: { filters: defined, rows, complete: isComplete } });
    }
  }
  const csv = stringify({ header: true, columns: [...CASE_EXPORT_COLUMNS], bom: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { fileName: `cases-${stamp}.csv`, stream: Readable.from(lines()).pipe(csv) };
}
