// The case list: each filter, "mine", text on reference and subject, sorting, and keyset
// pagination that neither skips nor repeats a case.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseSummary } from '../../../contract/cases.js';
import { createConstituent, createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { encodeCursor } from '../../platform/http/pagination.js';
import { planText } from './cases.search.js';
import { casework, ok, refused, squareWard, type Staff } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type PageOf = { items: CaseSummary[]; nextCursor: string | null };
const get = async (as: Staff, query: string) => ok(await as.api('GET', `/api/v1/cases?${query}`), 200) as PageOf;
const ids = (p: PageOf) => p.items.map((c) => c.id);

/** Every page of a query, following the cursors. */
async function all(as: Staff, query: string): Promise<CaseSummary[]> {
  const out: CaseSummary[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 50; i++) {
    const p: PageOf = await get(as, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...p.items);
    cursor = p.nextCursor;
    if (!cursor) break;
  }
  return out;
}

describe('planText', () => {
  it('reads references, their start, and words of the subject', () => {
    expect(planText('c-2026-42')).toEqual({ reference: { exact: 'C-2026-00042' } });
    expect(planText('C-2026-00042')).toEqual({ reference: { exact: 'C-2026-00042' } });
    expect(planText('C-2026')).toEqual({ reference: { prefix: 'C-2026' } });
    expect(planText('broken  street light')).toEqual({ subjectWords: ['broken', 'street', 'light'] });
    expect(planText('50%_off')).toEqual({ subjectWords: ['50%_off'] });
  });
});

describe('filters', () => {
  it('filter by status and status category, category with descendants, assignee, mine, team, ward, priority, channel and text', async () => {
    const w = await casework(ctx);
    const wardId = await squareWard(w.admin);
    const streets = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Streets' }), 201) as { id: string };
    const lights = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: 'Lights', parentId: streets.id }), 201) as { id: string };
    const a = await w.open({ subject: 'Broken street light on Elm Road', categoryId: lights.id, priority: 'urgent', channel: 'web', location: { lat: 0.5, lng: 0.5 }, teamId: w.team.id, assigneeId: w.caseworker.user.id });
    const b = await w.open({ subject: 'Fly-tipping behind the shops', categoryId: streets.id, priority: 'low', channel: 'phone' });
    const c = await w.open({ subject: 'Housing benefit delay', channel: 'email', assigneeId: w.outsider.user.id });
    ok(await w.caseworker.api('POST', `/api/v1/cases/${b.id}/status`, { status: 'waiting_on_resident' }), 200);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Paid' }), 200);

    const expectIds = async (query: string, expected: Case[]) => expect((await get(w.caseworker, query)).items.map((x) => x.reference).sort(), query).toEqual(expected.map((x) => x.reference).sort());
    await expectIds('', [a, b, c]);
    await expectIds('status=new', [a]);
    await expectIds('status=new,waiting_on_resident', [a, b]);
    await expectIds('statusCategory=open,waiting', [a, b]);
    await expectIds('statusCategory=resolved', [c]);
    await expectIds('statusCategory=open&status=resolved', []);
    await expectIds(`category=${streets.id}`, [a, b]);
    await expectIds(`category=${lights.id}`, [a]);
    await expectIds(`assignee=${w.caseworker.user.id}`, [a]);
    await expectIds('assignee=none', [b]);
    await expectIds('mine=true', [a]);
    await expectIds(`team=${w.team.id}`, [a]);
    await expectIds('team=none', [b, c]);
    await expectIds(`ward=${wardId}`, [a]);
    await expectIds('priority=urgent,low', [a, b]);
    await expectIds('channel=email', [c]);
    await expectIds('q=street%20LIGHT', [a]);
    await expectIds('q=shops', [b]);
    await expectIds(`q=${c.reference.toLowerCase()}`, [c]);
    await expectIds(`q=${c.reference.slice(0, 6)}`, [a, b, c]);
    await expectIds('q=100%25', []);
    await expectIds(`mine=true&statusCategory=open&team=${w.team.id}&priority=urgent`, [a]);
    // Outsider's "mine" is theirs.
    expect(ids(await get(w.outsider, 'mine=true'))).toEqual([c.id]);

    const row = (await get(w.caseworker, `q=${a.reference}`)).items[0]!;
    expect(row).toMatchObject({
      reference: a.reference, status: { key: 'new', label: 'New', category: 'open' }, category: { id: lights.id, path: ['Streets', 'Lights'] },
      assignee: { id: w.caseworker.user.id }, team: { id: w.team.id }, ward: { id: wardId, name: 'Square ward' }, priority: 'urgent', channel: 'web', isSensitive: false,
    });
  });

  it("filters by a person on the case, in any role, and only that office's person", async () => {
    const w = await casework(ctx);
    const other = await createConstituent(ctx, w.office, { givenName: 'Bea', familyName: uniq('Other') });
    const asked = await w.open({ subject: 'Asked by Ada', constituents: [{ constituentId: w.person.id }] });
    const affected = await w.open({ subject: 'About Ada', constituents: [{ constituentId: other.id }, { constituentId: w.person.id, role: 'affected' }] });
    await w.open({ subject: 'Bea alone', constituents: [{ constituentId: other.id }] });
    await w.open({ subject: 'Nobody' });
    const refs = async (query: string) => (await get(w.caseworker, query)).items.map((x) => x.reference).sort();
    expect(await refs(`constituent=${w.person.id}`)).toEqual([asked.reference, affected.reference].sort());
    expect(await refs(`constituent=${w.person.id}&q=about`)).toEqual([affected.reference]);
    const elsewhere = await casework(ctx);
    expect(await refs(`constituent=${elsewhere.person.id}`)).toEqual([]);
    refused(await w.caseworker.api('GET', '/api/v1/cases?constituent=nope'), 400, 'validation_failed', 'constituent');
  });

  it('filters by created and updated ranges', async () => {
    const w = await casework(ctx);
    const old = await w.open({ subject: 'Old' });
    const recent = await w.open({ subject: 'Recent' });
    await sql`UPDATE cases SET created_at = '2025-01-10T12:00:00Z', updated_at = '2025-02-01T12:00:00Z' WHERE office_id = ${w.office.id} AND id = ${old.id}`.execute(ctx.database.db);
    expect(ids(await get(w.admin, 'createdFrom=2025-01-01T00:00:00Z&createdTo=2025-02-01T00:00:00Z'))).toEqual([old.id]);
    expect(ids(await get(w.admin, `createdFrom=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`))).toEqual([recent.id]);
    expect(ids(await get(w.admin, 'updatedTo=2025-03-01T00:00:00Z'))).toEqual([old.id]);
    expect(ids(await get(w.admin, 'updatedFrom=2025-03-01T00:00:00Z'))).toEqual([recent.id]);
  });

  it('refuses bad filters with the field', async () => {
    const w = await casework(ctx);
    refused(await w.admin.api('GET', '/api/v1/cases?priority=soon'), 400, 'validation_failed', 'priority.0');
    refused(await w.admin.api('GET', '/api/v1/cases?statusCategory=open,done'), 400, 'validation_failed', 'statusCategory.1');
    refused(await w.admin.api('GET', '/api/v1/cases?assignee=bob'), 400, 'validation_failed', 'assignee');
    refused(await w.admin.api('GET', `/api/v1/cases?category=${w.team.id}`), 400, 'validation_failed', 'category');
    refused(await w.admin.api('GET', `/api/v1/cases?mine=true&assignee=${w.admin.user.id}`), 400, 'validation_failed', 'mine');
    refused(await w.admin.api('GET', '/api/v1/cases?createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z'), 400, 'validation_failed', 'createdTo');
    refused(await w.admin.api('GET', '/api/v1/cases?createdFrom=yesterday'), 400, 'validation_failed', 'createdFrom');
    refused(await w.admin.api('GET', '/api/v1/cases?sort=subject'), 400, 'validation_failed', 'sort');
    refused(await w.admin.api('GET', '/api/v1/cases?limit=500'), 400, 'validation_failed', 'limit');
    refused(await w.admin.api('GET', '/api/v1/cases?cursor=not-a-cursor'), 400, 'invalid_cursor', 'cursor');
    refused(await w.admin.api('GET', `/api/v1/cases?cursor=${encodeCursor(['whenever', w.admin.user.id])}`), 400, 'invalid_cursor', 'cursor');
    // A cursor of another sort order is refused, not misread.
    refused(await w.admin.api('GET', `/api/v1/cases?sort=priority&cursor=${encodeCursor(['2026-01-01T00:00:00.000000Z', w.admin.user.id])}`), 400, 'invalid_cursor', 'cursor');
  });
});

describe('sorting and pages', () => {
  it('pages through every case exactly once in each sort order, including ties on the sort key', async () => {
    const w = await casework(ctx);
    const priorities = ['low', 'normal', 'high', 'urgent'] as const;
    const made: Case[] = [];
    for (let i = 0; i < 13; i++) made.push(await w.open({ subject: `Case ${i}`, priority: priorities[i % 4] }));
    // Several cases share a creation time to the microsecond: the id breaks the tie.
    await sql`UPDATE cases SET created_at = '2026-01-01T10:00:00.123456Z' WHERE office_id = ${w.office.id} AND id = ANY(${made.slice(0, 5).map((c) => c.id)}::uuid[])`.execute(ctx.database.db);
    const rows = async () => (await sql<{ id: string; created_at: Date; updated_at: Date; priority: string }>`SELECT id, created_at, updated_at, priority FROM cases WHERE office_id = ${w.office.id}`.execute(ctx.database.db)).rows;
    const rank = { urgent: 4, high: 3, normal: 2, low: 1 } as Record<string, number>;
    const micros = async () => new Map((await sql<{ id: string; c: string; u: string }>`SELECT id, to_char(created_at, 'YYYYMMDDHH24MISSUS') AS c, to_char(updated_at, 'YYYYMMDDHH24MISSUS') AS u FROM cases WHERE office_id = ${w.office.id}`.execute(ctx.database.db)).rows.map((r) => [r.id, r]));
    const m = await micros();
    const all13 = await rows();
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const expected = {
      'sort=created&order=desc': [...all13].sort((a, b) => -cmp(m.get(a.id)!.c, m.get(b.id)!.c) || -cmp(a.id, b.id)),
      'sort=created&order=asc': [...all13].sort((a, b) => cmp(m.get(a.id)!.c, m.get(b.id)!.c) || cmp(a.id, b.id)),
      'sort=updated&order=desc': [...all13].sort((a, b) => -cmp(m.get(a.id)!.u, m.get(b.id)!.u) || -cmp(a.id, b.id)),
      'sort=priority&order=desc': [...all13].sort((a, b) => rank[b.priority]! - rank[a.priority]! || -cmp(m.get(a.id)!.c, m.get(b.id)!.c) || -cmp(a.id, b.id)),
      'sort=priority&order=asc': [...all13].sort((a, b) => rank[a.priority]! - rank[b.priority]! || cmp(m.get(a.id)!.c, m.get(b.id)!.c) || cmp(a.id, b.id)),
    };
    for (const [query, order] of Object.entries(expected)) {
      const seen = await all(w.admin, `${query}&limit=4`);
      expect(seen.map((c) => c.id), query).toEqual(order.map((r) => r.id));
    }
    const first = await get(w.admin, 'limit=13');
    expect(first.nextCursor).toBeNull();
  });
});
