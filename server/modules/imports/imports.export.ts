// CSV export of a constituent search: the list's own query (same filters, same order),
// page by page as the response is sent, with the names and external ids the list does not
// carry. One audit event says who exported what and how many rows.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ConstituentListQuery, ConstituentSummary } from '../../../contract/constituents.js';
import { EXPORT_COLUMNS, type ConstituentExportQuery } from '../../../contract/imports.js';
import * as audit from '../../platform/audit/audit.js';
import type { Scope } from '../../platform/scope.js';
import * as bulk from '../constituents/constituents.bulk.js';
import { list } from '../constituents/constituents.search.js';

const PAGE = 200;

// A spreadsheet runs a cell that starts like a formula, a sign included ("-2+3+cmd|…",
// "+1+HYPERLINK(…)"), so such a cell gets a leading quote; a cell that starts with a sign but
// holds only digits, spaces, brackets, dots and hyphens (a phone number +44 20 7946 0000, a
// negative number) stays as it is: it cannot call anything.
export function safeCell(v: string): string {
  return /^[=@\t\r]/.test(v) || (/^[+-]/.test(v) && !/^[+-][\d\s().-]*$/.test(v)) ? `'${v}` : v;
}

function line(s: ConstituentSummary, d: bulk.ExportDetails | undefined): string[] {
  const cells = [
    s.id, s.kind, d?.given_name ?? '', d?.family_name ?? '', d?.preferred_name ?? '', d?.organisation_name ?? '', s.displayName,
    s.primaryEmail ?? '', s.primaryPhone ?? '', s.primaryAddress ?? '', s.postcode ?? '', s.ward ?? '', s.tags.join(';'), (d?.external_ids ?? []).join(';'),
  ];
  return cells.map(safeCell);
}

export async function exportCsv(scope: Scope, filters: ConstituentExportQuery): Promise<{ fileName: string; stream: Readable }> {
  const query = { ...filters, limit: PAGE } as ConstituentListQuery;
  // The first page before answering, so bad filters are a 400 rather than a broken download.
  const first = await list(scope, query);
  let rows = 0;
  let isComplete = false;
  async function* lines() {
    try {
      let current = first;
      for (;;) {
        const details = await bulk.exportDetails(scope.db, scope.officeId, current.items.map((i) => i.id));
        for (const item of current.items) {
          rows++;
          yield line(item, details.get(item.id));
        }
        if (!current.nextCursor) break;
        current = await list(scope, { ...query, cursor: current.nextCursor });
      }
      isComplete = true;
    } finally {
      const defined = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
      await audit.record(scope.db, scope, { entity: 'constituent_export', id: bulk.newId(), action: 'exported', after: { filters: defined, rows, complete: isComplete } });
    }
  }
  const csv = stringify({ header: true, columns: [...EXPORT_COLUMNS], bom: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return { fileName: `constituents-${stamp}.csv`, stream: Readable.from(lines()).pipe(csv) };
}
