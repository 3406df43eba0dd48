import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createTestApp, createUser, signIn, uniq, type TestContext } from '../../../test/harness.js';
import { addPerson, candidates, pairKey, staffOffice } from '../../../test/dedup-fixtures.js';
import { LINKED_ROWS } from './dedup.merge.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

const db = () => ctx.database.db;

/** Two records of one person with a row in every linked table, some of them duplicates. */
async function richPair(officeId: string) {
  const add = (p: Parameters<typeof addPerson>[2]) => addPerson(db(), officeId, p);
  const survivor = await add({
    given: 'Robert', family: 'Jones', preferred: 'Rob', emails: ['rob@mail.example', 'shared@mail.example'], phones: ['+447700900001'],
    addresses: [{ line1: '1 High Street', postcode: 'RV1 1AA' }], tags: ['volunteer'], customFields: { ward_captain: 'yes' },
  });
  const other = await add({
    given: 'Bob', family: 'Jones', dob: '1970-05-05', emails: ['bob@work.example', 'shared@mail.example'], phones: ['+447700900001', '+447700900002'],
    addresses: [{ line1: '1 High St.', postcode: 'RV1 1AA' }, { line1: '5 Low Road', postcode: 'RV2 2BB' }],
    tags: ['donor', 'volunteer'], customFields: { newsletter: 'monthly', ward_captain: 'no' }, doNotContact: true,
  });
  const x = await add({ given: 'Xavier', family: 'Jones' });
  const y = await add({ kind: 'organisation', org: uniq('Acme') });
  const z = await add({ given: 'Zoe', family: 'Jonas' });
  const w = await add({ given: 'Wendy', family: 'Jones' });
  const o = { office_id: officeId };
  // The duplicate address of the other record is in a ward: its area row goes with it and must come back.
  const ward = await db().insertInto('boundaries').values({ ...o, layer: 'ward', code: uniq('W'), name: 'Ward', geometry: '{}', min_lng: 0, min_lat: 0, max_lng: 1, max_lat: 1 }).returning('id').executeTakeFirstOrThrow();
  const dupAddress = await db().selectFrom('constituent_addresses').select('id').where('office_id', '=', officeId).where('constituent_id', '=', other).where('line1', '=', '1 High St.').executeTakeFirstOrThrow();
  await db().insertInto('constituent_address_areas').values({ ...o, address_id: dupAddress.id, layer: 'ward', boundary_id: ward.id }).execute();
  const consent = (id: string, channel: string) => ({ ...o, constituent_id: id, channel, purpose: 'outreach', status: 'granted', source: 'paper', recorded_by_label: 'test' });
  await db().insertInto('consents').values([consent(other, 'email'), consent(other, 'sms'), consent(survivor, 'post')]).execute();
  await db().insertInto('constituent_notes').values([{ ...o, constituent_id: other, body: 'Called about bins', author_label: 'test' }]).execute();
  await db().insertInto('constituent_relationships').values([
    { ...o, from_id: other, to_id: x, kind: 'spouse' }, // moves
    { ...o, from_id: w, to_id: other, kind: 'carer_of' }, // moves
    { ...o, from_id: survivor, to_id: other, kind: 'relative' }, // would link the survivor to itself: dropped
    { ...o, from_id: other, to_id: y, kind: 'employee_of' }, // the survivor has it too: dropped
    { ...o, from_id: survivor, to_id: y, kind: 'employee_of' },
  ]).execute();
  await db().insertInto('constituent_external_ids').values({ ...o, system: 'voter_file', value: uniq('V'), constituent_id: other }).execute();
  await db().insertInto('cases').values({ ...o, reference: uniq('C'), subject: 'Bins not collected', channel: 'phone', requester_id: other }).execute();
  const cand = (a: string, b: string, status: string) => ({ ...o, low_id: a < b ? a : b, high_id: a < b ? b : a, score: 70, reasons: JSON.stringify(['x']), status });
  await db().insertInto('duplicate_candidates').values([cand(survivor, other, 'open'), cand(other, z, 'open'), cand(other, w, 'dismissed'), cand(survivor, z, 'open')]).execute();
  return { survivor, other, x, y, z, w };
}

/** Every row of the office that a merge may touch, for before/after comparisons. */
async function dump(officeId: string) {
  const out: Record<string, unknown[]> = {};
  const tables = ['constituents', ...new Set(LINKED_ROWS.map((l) => l.table)), 'constituent_address_areas', 'duplicate_candidates'];
  for (const t of tables) {
    const r = await sql<{ row: Record<string, unknown> }>`SELECT to_jsonb(t) - 'updated_at' AS row FROM ${sql.table(t)} t WHERE t.office_id = ${officeId} ORDER BY to_jsonb(t)::text`.execute(db());
    out[t] = r.rows.map((x) => x.row);
  }
  return out;
}

const linkedTo = async (officeId: string, id: string) => {
  const counts: Record<string, number> = {};
  for (const l of LINKED_ROWS) {
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(l.table)} WHERE office_id = ${officeId} AND ${sql.ref(l.column)} = ${id}`.execute(db());
    counts[`${l.table}.${l.column}`] = r.rows[0]!.n;
  }
  return counts;
};

describe('merge', () => {
  it('moves every linked row to the survivor, drops duplicates, applies the chosen fields, and records it', async () => {
    const { office, api } = await staffOffice(ctx);
    const p = await richPair(office.id);
    const preview = await api('GET', `/api/v1/constituents/${p.survivor}/merge-preview?otherId=${p.other}`);
    expect(preview.statusCode).toBe(200);
    expect(Object.fromEntries(preview.json().moves.map((m: { table: string; count: number; duplicates: number }) => [m.table, [m.count, m.duplicates]]))).toMatchObject({
      constituent_emails: [2, 1], constituent_phones: [2, 1], constituent_addresses: [2, 1], consents: [2, 0], constituent_notes: [1, 0], constituent_external_ids: [1, 0], cases: [1, 0],
    });
    expect(preview.json().other.fields).toMatchObject({ givenName: 'Bob', dateOfBirth: '1970-05-05' });

    const res = await api('POST', `/api/v1/constituents/${p.survivor}/merge`, { otherId: p.other, fields: { givenName: 'other', preferredName: 'survivor' } });
    expect(res.statusCode).toBe(201);
    const merge = res.json();
    expect(merge).toMatchObject({
      survivor: { id: p.survivor }, merged: { id: p.other }, canUndo: true, undoneAt: null,
      moved: { constituent_emails: 1, constituent_phones: 1, constituent_addresses: 1, consents: 2, constituent_notes: 1, constituent_relationships: 2, constituent_external_ids: 1, cases: 1 },
      dropped: { constituent_emails: 1, constituent_phones: 1, constituent_addresses: 1, constituent_relationships: 2 },
    });
    expect(new Date(merge.undoUntil).getTime() - Date.now()).toBeGreaterThan(29.9 * 86_400_000);
    // Nothing points at the merged record any more.
    expect(Object.values(await linkedTo(office.id, p.other)).every((n) => n === 0)).toBe(true);
    const s = await db().selectFrom('constituents').selectAll().where('office_id', '=', office.id).where('id', '=', p.survivor).executeTakeFirstOrThrow();
    expect({ given: s.given_name, preferred: s.preferred_name, dob: s.date_of_birth && new Date(s.date_of_birth).toISOString().slice(0, 10), tags: s.tags, custom: s.custom_fields, dnc: s.do_not_contact }).toEqual({
      given: 'Bob', preferred: 'Rob', dob: '1970-05-05', tags: ['volunteer', 'donor'], custom: { ward_captain: 'yes', newsletter: 'monthly' }, dnc: true,
    });
    const o = await db().selectFrom('constituents').select(['status', 'merged_into_id']).where('office_id', '=', office.id).where('id', '=', p.other).executeTakeFirstOrThrow();
    expect(o).toEqual({ status: 'merged', merged_into_id: p.survivor });
    // One primary email: the moved one gave up its flag.
    const emails = await db().selectFrom('constituent_emails').select(['email', 'is_primary']).where('office_id', '=', office.id).where('constituent_id', '=', p.survivor).orderBy('email').execute();
    expect(emails).toEqual([{ email: 'bob@work.example', is_primary: false }, { email: 'rob@mail.example', is_primary: true }, { email: 'shared@mail.example', is_primary: false }]);
    const rels = await db().selectFrom('constituent_relationships').select(['from_id', 'to_id', 'kind']).where('office_id', '=', office.id).orderBy('kind').execute();
    expect(rels).toEqual([
      { from_id: p.w, to_id: p.survivor, kind: 'carer_of' }, { from_id: p.survivor, to_id: p.y, kind: 'employee_of' }, { from_id: p.survivor, to_id: p.x, kind: 'spouse' },
    ]);
    // Candidates of the merged record are closed; the dismissed one keeps its decision.
    const statuses = Object.fromEntries((await db().selectFrom('duplicate_candidates').select(['low_id', 'high_id', 'status']).where('office_id', '=', office.id).execute()).map((c) => [pairKey(c.low_id, c.high_id), c.status]));
    expect(statuses).toEqual({ [pairKey(p.survivor, p.other)]: 'merged', [pairKey(p.other, p.z)]: 'merged', [pairKey(p.other, p.w)]: 'dismissed', [pairKey(p.survivor, p.z)]: 'open' });
    // Audit events on both timelines.
    const events = await db().selectFrom('events').select(['constituent_id', 'action']).where('office_id', '=', office.id).where('entity_type', '=', 'constituent').execute();
    expect(events).toEqual(expect.arrayContaining([{ constituent_id: p.survivor, action: 'merged' }, { constituent_id: p.other, action: 'merged_into' }]));
    const timeline = (await api('GET', `/api/v1/constituents/${p.survivor}/timeline?kind=merge`)).json().items as { action: string; after: { givenName?: string } }[];
    expect(timeline.find((e) => e.action === 'merged')?.after).toMatchObject({ givenName: 'Bob', mergedId: p.other });
    // Listed on both records.
    for (const id of [p.survivor, p.other]) expect((await api('GET', `/api/v1/constituents/${id}/merges`)).json().items.map((m: { id: string }) => m.id)).toEqual([merge.id]);
  });

  it('undoes a merge exactly: both records, every moved and dropped row, the candidates; later rows stay with the survivor', async () => {
    const { office, api } = await staffOffice(ctx);
    const p = await richPair(office.id);
    const before = await dump(office.id);
    const merge = (await api('POST', `/api/v1/constituents/${p.survivor}/merge`, { otherId: p.other, fields: { givenName: 'other', familyName: 'other', kind: 'survivor' } })).json();
    expect(await dump(office.id)).not.toEqual(before);
    // Added to the survivor after the merge: stays with it.
    const later = await db().insertInto('constituent_notes').values({ office_id: office.id, constituent_id: p.survivor, body: 'After the merge', author_label: 'test' }).returning('id').executeTakeFirstOrThrow();
    const undone = await api('POST', `/api/v1/merges/${merge.id}/undo`);
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toMatchObject({ id: merge.id, canUndo: false, undoneAt: expect.any(String) });
    await db().deleteFrom('constituent_notes').where('office_id', '=', office.id).where('id', '=', later.id).where('constituent_id', '=', p.survivor).executeTakeFirstOrThrow();
    const after = await dump(office.id);
    for (const table of Object.keys(before)) expect([table, after[table]]).toEqual([table, before[table]]);
    expect(await candidates(api)).toHaveLength(3);
    // Twice: refused with the reason.
    const again = await api('POST', `/api/v1/merges/${merge.id}/undo`);
    expect(again.statusCode).toBe(409);
    expect(again.json().reason).toBe('already_undone');
    const events = await db().selectFrom('events').select(['constituent_id', 'action']).where('office_id', '=', office.id).where('action', '=', 'merge_undone').execute();
    expect(events.map((e) => e.constituent_id).sort()).toEqual([p.survivor, p.other].sort());
  });

  it('keeps edits made to the survivor after the merge when undoing it', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const a = await add({ given: 'Anne', family: 'Lee', tags: ['a'] });
    const b = await add({ given: 'Ann', family: 'Leigh', dob: '1950-01-01', tags: ['b'] });
    const merge = (await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b, fields: { familyName: 'other' } })).json();
    await db().updateTable('constituents').set({ given_name: 'Annie' }).where('office_id', '=', office.id).where('id', '=', a).execute();
    expect((await api('POST', `/api/v1/merges/${merge.id}/undo`)).statusCode).toBe(200);
    const row = await db().selectFrom('constituents').select(['given_name', 'family_name', 'date_of_birth', 'tags', 'status']).where('id', '=', a).executeTakeFirstOrThrow();
    expect({ ...row, date_of_birth: row.date_of_birth }).toEqual({ given_name: 'Annie', family_name: 'Lee', date_of_birth: null, tags: ['a'], status: 'active' });
  });

  it('refuses an undo after 30 days, and while the survivor is itself merged', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const [a, b, c, d] = [await add({ given: 'A', family: 'One' }), await add({ given: 'B', family: 'Two' }), await add({ given: 'C', family: 'Three' }), await add({ given: 'D', family: 'Four' })];
    const old = (await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b })).json();
    await db().updateTable('constituent_merges').set({ undo_until: new Date(Date.now() - 1000) }).where('office_id', '=', office.id).where('id', '=', old.id).execute();
    const late = await api('POST', `/api/v1/merges/${old.id}/undo`);
    expect([late.statusCode, late.json().reason]).toEqual([409, 'undo_expired']);
    expect((await api('GET', `/api/v1/constituents/${a}/merges`)).json().items[0]).toMatchObject({ canUndo: false, undoBlockedBy: expect.stringMatching(/30 days/) });
    const first = (await api('POST', `/api/v1/constituents/${c}/merge`, { otherId: d })).json();
    expect((await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: c })).statusCode).toBe(201);
    const blocked = await api('POST', `/api/v1/merges/${first.id}/undo`);
    expect([blocked.statusCode, blocked.json().reason]).toEqual([409, 'survivor_merged']);
    const status = await db().selectFrom('constituents').select(['id', 'status']).where('id', 'in', [b, d]).execute();
    expect(status.every((r) => r.status === 'merged')).toBe(true);
  });

  it('refuses a merge with itself, with a merged record, with bad field choices, and across offices, writing nothing', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const other = await staffOffice(ctx);
    const a = await add({ given: 'Ruth', family: 'Ellis' });
    const b = await add({ given: 'Ruth', family: 'Ellis' });
    const c = await add({ given: 'Ruth', family: 'Elis' });
    const org = await add({ kind: 'organisation', org: 'Ellis Ltd' });
    const foreign = await other.add({ given: 'Ruth', family: 'Ellis' });
    const before = await dump(office.id);
    const foreignBefore = await dump(other.office.id);
    const self = await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: a });
    expect([self.statusCode, self.json().field]).toEqual([400, 'otherId']);
    expect((await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: foreign })).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/constituents/${foreign}/merge`, { otherId: a })).statusCode).toBe(404);
    expect((await other.api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b })).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/constituents/${a}/merge-preview?otherId=${foreign}`)).statusCode).toBe(404);
    expect((await api('GET', `/api/v1/constituents/${foreign}/merges`)).statusCode).toBe(404);
    const badChoice = await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b, fields: { givenName: 'both' } });
    expect([badChoice.statusCode, badChoice.json().field]).toEqual([400, 'fields.givenName']);
    expect((await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b, fields: { nickname: 'other' } })).statusCode).toBe(400);
    const nameless = await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: org, fields: { kind: 'other', organisationName: 'survivor' } });
    expect([nameless.statusCode, nameless.json().field]).toEqual([400, 'fields.organisationName']);
    expect(await dump(office.id)).toEqual(before);
    expect(await dump(other.office.id)).toEqual(foreignBefore);
    // A merged record can be neither side of another merge.
    expect((await api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b })).statusCode).toBe(201);
    for (const [x, y] of [[c, b], [b, c]]) {
      const r = await api('POST', `/api/v1/constituents/${x}/merge`, { otherId: y });
      expect([r.statusCode, r.json().reason, r.json().mergedIntoId]).toEqual([409, 'already_merged', a]);
    }
    expect((await other.api('POST', `/api/v1/merges/${(await api('GET', `/api/v1/constituents/${a}/merges`)).json().items[0].id}/undo`)).statusCode).toBe(404);
  });

  it('lets only one of two simultaneous merges of the same pair through', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const a = await add({ given: 'Iris', family: 'Clarke', emails: ['iris@mail.example'] });
    const b = await add({ given: 'Iris', family: 'Clark', emails: ['iris@mail.example'] });
    const results = await Promise.all([api('POST', `/api/v1/constituents/${a}/merge`, { otherId: b }), api('POST', `/api/v1/constituents/${b}/merge`, { otherId: a })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const rows = await db().selectFrom('constituents').select(['status']).where('office_id', '=', office.id).where('id', 'in', [a, b]).execute();
    expect(rows.map((r) => r.status).sort()).toEqual(['active', 'merged']);
    expect(await db().selectFrom('constituent_merges').select('id').where('office_id', '=', office.id).execute()).toHaveLength(1);
  });

  it('needs constituent.merge', async () => {
    const { office, add } = await staffOffice(ctx);
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'caseworker')));
    const a = await add({ given: 'Sam', family: 'Hill' });
    const b = await add({ given: 'Sam', family: 'Hill' });
    expect((await caseworker('POST', `/api/v1/constituents/${a}/merge`, { otherId: b })).statusCode).toBe(403);
    expect((await caseworker('GET', `/api/v1/constituents/${a}/merge-preview?otherId=${b}`)).statusCode).toBe(403);
    expect((await caseworker('GET', `/api/v1/constituents/${a}/merges`)).json()).toEqual({ items: [] });
    expect((await db().selectFrom('constituents').select('status').where('id', '=', b).executeTakeFirstOrThrow()).status).toBe('active');
  });
});
