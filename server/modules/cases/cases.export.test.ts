// CSV export of the case list: the list's filters and sort, every column, spreadsheet-safe
// cells, sensitive cases only for those allowed (each exported one logged as read), and the
// export permission.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASE_EXPORT_COLUMNS } from '../../../contract/cases.js';
import { asToken, createTestApp, tokenFor, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused, type Staff } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

async function exported(as: Staff, query = ''): Promise<Record<string, string>[]> {
  const res = await as.api('GET', `/api/v1/cases/export.csv${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/csv/);
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="cases-.*\.csv"$/);
  const [head, ...rows] = parse(res.body, { bom: true }) as string[][];
  expect(head).toEqual([...CASE_EXPORT_COLUMNS]);
  return rows.map((r) => Object.fromEntries(head!.map((h, i) => [h, r[i]!])));
}

describe('CSV export', () => {
  it('exports the cases the filters find, in the sort asked for, with every column', async () => {
    const w = await casework(ctx);
    ok(await w.admin.api('POST', '/api/v1/sla/policies', { priority: 'urgent', firstResponseMinutes: 10, resolutionMinutes: 120, clock: 'calendar' }), 201);
    const streets = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Streets' }), 201) as { id: string };
    const lights = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Lights', parentId: streets.id }), 201) as { id: string };
    const a = await w.open({ subject: 'Light out', priority: 'urgent', categoryId: lights.id, tags: ['night', 'safety'], constituents: [{ constituentId: w.person.id }], teamId: w.team.id, assigneeId: w.caseworker.user.id });
    const b = await w.open({ subject: '=HYPERLINK("http://x")', priority: 'urgent' });
    await w.open({ subject: 'Low one', priority: 'low' });

    const rows = await exported(w.analyst, 'priority=urgent&sort=created&order=asc');
    expect(rows.map((r) => r.reference)).toEqual([a.reference, b.reference]);
    expect(rows[0]).toEqual({
      reference: a.reference, subject: 'Light out', status: 'New', status_category: 'open', priority: 'urgent', channel: 'phone', category: 'Streets > Lights',
      assignee: a.assignee!.name, team: a.team!.name, ward: '', requester: a.requester!.name, tags: 'night;safety', sensitive: 'no',
      created_at: a.createdAt, updated_at: expect.any(String), resolved_at: '', closed_at: '', first_response_due_at: a.sla.firstResponseDueAt, resolution_due_at: a.sla.resolutionDueAt,
      overdue: 'no', id: a.id,
    });
    expect(rows[1]!.subject).toBe('\'=HYPERLINK("http://x")'); // a spreadsheet will not run it
    expect((await exported(w.analyst, 'priority=low')).map((r) => r.subject)).toEqual(['Low one']);
    expect(await exported(w.analyst, 'overdue=true')).toEqual([]);
    const events = (ok(await w.admin.api('GET', '/api/v1/audit?entityType=case_export'), 200) as { items: { action: string; after: unknown }[] }).items;
    expect(events[events.length - 1]).toMatchObject({ action: 'exported', after: { filters: { priority: ['urgent'], sort: 'created', order: 'asc' }, rows: 2, complete: true } });
    const bad = await w.analyst.api('GET', '/api/v1/cases/export.csv?ward=not-a-uuid');
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'ward']);
  });

  it('leaves sensitive cases out for staff who may not see them, and logs each one exported to those who may', async () => {
    const w = await casework(ctx);
    const open = await w.open({ subject: 'Ordinary' });
    const secret = await w.open({ subject: 'Secret', isSensitive: true });
    expect((await exported(w.analyst)).map((r) => r.subject)).toEqual(['Ordinary']);
    const rows = await exported(w.manager);
    expect(rows.map((r) => [r.subject, r.sensitive])).toEqual([['Secret', 'yes'], ['Ordinary', 'no']]);
    const reads = (ok(await w.admin.api(`GET`, `/api/v1/cases/${secret.id}/timeline?kind=access`), 200) as { items: { action: string; after: { via: string } }[] }).items;
    expect(reads.map((e) => e.after.via)).toContain('export');
    const openReads = (ok(await w.admin.api(`GET`, `/api/v1/cases/${open.id}/timeline?kind=access`), 200) as { items: unknown[] }).items;
    expect(openReads).toEqual([]);
  });

  it('needs case.export (admins, managers, analysts) as well as case.read', async () => {
    const w = await casework(ctx);
    refused(await w.caseworker.api('GET', '/api/v1/cases/export.csv'), 403, 'forbidden');
    refused(await w.volunteer.api('GET', '/api/v1/cases/export.csv'), 403, 'forbidden');
    const exportOnly = asToken(ctx, await tokenFor(ctx, w.analyst.user, ['case.export']));
    refused(await exportOnly('GET', '/api/v1/cases/export.csv'), 403, 'forbidden');
    expect((await w.admin.api('GET', '/api/v1/cases/export.csv')).statusCode).toBe(200);
  });
});
