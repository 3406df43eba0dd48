// CSV import through the CLI's code path on a real database: row checks and their report,
// upsert by external id, duplicates within a file, encodings, mapping errors, custom fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Office } from '../../../contract/offices.js';
import { createOffice, createTestApp, type TestContext } from '../../../test/harness.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import { createField } from '../constituents/constituents.custom-fields.js';
import * as repo from './imports.repo.js';
import { byExternalId, countConstituents, csv, importCsv } from './imports.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

const HEAD = ['Voter ID', 'First name', 'Last name', 'Email', 'Mobile', 'Street', 'Postcode', 'Lat', 'Lng', 'Tags', 'Born', 'Notes'];
const MAP = {
  columns: {
    'Voter ID': 'externalId:voter_file', 'First name': 'givenName', 'Last name': 'familyName', Email: 'email', Mobile: 'phone:mobile',
    Street: 'line1', Postcode: 'postcode', Lat: 'lat', Lng: 'lng', Tags: 'tags', Born: 'dateOfBirth', Notes: 'ignore',
  },
  dateFormat: 'DD/MM/YYYY',
};
const person = (id: string, over: Partial<Record<(typeof HEAD)[number], string>> = {}) => {
  const base: Record<string, string> = {
    'Voter ID': id, 'First name': 'Ada', 'Last name': `Lovelace ${id}`, Email: `ada.${id}@example.org`, Mobile: '07700 900123', Street: '12 High St',
    Postcode: 'RV1 2AB', Lat: '52.45', Lng: '-1.26', Tags: 'volunteer; donor', Born: '10/12/1965', Notes: '',
  };
  return HEAD.map((h) => over[h] ?? base[h]!);
};

async function office(): Promise<Office> {
  return createOffice(ctx);
}

describe('importing rows', () => {
  it('imports good rows with normalised values and rejects each bad row with its row, column and reason', async () => {
    const o = await office();
    const long = 'x'.repeat(10_000);
    const rows = [
      HEAD,
      person('V1', { Email: ' ADA.V1@Example.ORG ', Notes: long }), // row 2: fine, a 10,000-character ignored note
      person('V2', { Email: 'not-an-email' }), // 3
      person('V3', { Mobile: '12' }), // 4
      person('V4', { Lat: '95' }), // 5
      person('V5', { Lng: '' }), // 6
      person('V6', { 'First name': '', 'Last name': '' }), // 7
      person('V7', { 'First name': long }), // 8
      person('V8', { Born: '31/02/1990' }), // 9
      person('V9', { Street: 'Flat 2\n12 High St' }), // 10: a quoted line break
      person('V10', { Lng: '-200' }), // 11
      person('V11', { Tags: 'a,b' }), // 12
      person('V12', { 'First name': 'Nul\u0000l' }), // 13
    ];
    const text = `${csv(rows)}V13,Short,Row\nV14,Too,Many,a@b.org,07700 900123,1 Road,RV1,52,-1,,,,extra\n`;
    const r = await importCsv(ctx.database, o, text, MAP);
    expect([r.status, r.rows, r.created, r.updated, r.unchanged, r.rejected]).toEqual(['completed', 14, 2, 0, 0, 12]);
    expect(r.errors).toEqual([
      { row: 3, column: 'Email', reason: 'is not a valid email address' },
      { row: 4, column: 'Mobile', reason: expect.stringMatching(/phone number/) },
      { row: 5, column: 'Lat', reason: 'must be between -90 and 90 (it is outside the world)' },
      { row: 6, column: 'Lng', reason: 'give both latitude and longitude, or neither' },
      { row: 7, column: 'First name', reason: 'a person needs a given or family name' },
      { row: 8, column: 'First name', reason: 'is 10,000 characters long; the limit is 200' },
      { row: 9, column: 'Born', reason: 'is not a real date (expected YYYY-MM-DD or DD/MM/YYYY)' },
      { row: 11, column: 'Lng', reason: 'must be between -180 and 180 (it is outside the world)' },
      { row: 12, column: 'Tags', reason: 'tag "a,b" must not contain commas or line breaks' },
      { row: 13, column: 'First name', reason: 'contains a NUL character, which cannot be stored' },
      { row: 14, column: '(row)', reason: 'has 3 fields; the header row has 12' },
      { row: 15, column: '(row)', reason: 'has 13 fields; the header row has 12' },
    ]);

    const ada = await byExternalId(ctx.database, o.id, 'voter_file', 'V1');
    expect(ada).toMatchObject({ givenName: 'Ada', familyName: 'Lovelace V1', dateOfBirth: '1965-12-10', tags: ['volunteer', 'donor'], externalIds: [{ system: 'voter_file', value: 'V1' }] });
    expect(ada!.emails.map((e) => [e.email, e.isPrimary])).toEqual([['ada.v1@example.org', true]]);
    expect(ada!.phones.map((p) => [p.number, p.type])).toEqual([['+447700900123', 'mobile']]);
    expect(ada!.addresses).toMatchObject([{ line1: '12 High St', postcode: 'RV1 2AB', lat: 52.45, lng: -1.26, locationSource: 'provided', isPrimary: true }]);
    expect((await byExternalId(ctx.database, o.id, 'voter_file', 'V9'))!.addresses[0]!.line1).toBe('Flat 2\n12 High St');
    expect(await byExternalId(ctx.database, o.id, 'voter_file', 'V2')).toBeUndefined();
    expect(await countConstituents(ctx.database, o.id)).toBe(2);
  });

  it('rejects the later of two rows with the same external id, and exact duplicate rows', async () => {
    const o = await office();
    const noId = { ...MAP, columns: { ...MAP.columns, 'Voter ID': 'ignore' } };
    const r = await importCsv(ctx.database, o, csv([HEAD, person('V1'), person('V2'), person('V1', { 'First name': 'Other' }), person('V3')]), MAP);
    expect([r.created, r.rejected]).toEqual([3, 1]);
    expect(r.errors).toEqual([{ row: 4, column: 'Voter ID', reason: 'duplicate of row 2 (same voter_file V1)' }]);
    const same = await importCsv(ctx.database, o, csv([HEAD, person('A'), person('B'), person('A'), person('A', { Tags: 'other' })]), noId);
    expect([same.created, same.rejected]).toEqual([3, 1]);
    expect(same.errors).toEqual([{ row: 4, column: '(row)', reason: 'duplicate of row 2' }]);
  });

  it('upserts by external id: the same file again is unchanged, a changed row updates without duplicating contact points', async () => {
    const o = await office();
    const file = csv([HEAD, person('V1'), person('V2'), person('V3')]);
    expect((await importCsv(ctx.database, o, file, MAP)).created).toBe(3);
    const again = await importCsv(ctx.database, o, file, MAP);
    expect([again.created, again.updated, again.unchanged, again.rejected]).toEqual([0, 0, 3, 0]);

    const newer = csv([HEAD, person('V1'), person('V2', { 'Last name': 'Byron', Email: 'ada@new.example.org', Tags: 'donor; patron' }), person('V3', { Street: '1 Other Road' }), person('V4')]);
    const r = await importCsv(ctx.database, o, newer, MAP);
    expect([r.created, r.updated, r.unchanged, r.rejected]).toEqual([1, 2, 1, 0]);
    expect(await countConstituents(ctx.database, o.id)).toBe(4);
    const v2 = (await byExternalId(ctx.database, o.id, 'voter_file', 'V2'))!;
    expect(v2.familyName).toBe('Byron');
    expect(v2.tags).toEqual(['volunteer', 'donor', 'patron']);
    expect(v2.emails.map((e) => [e.email, e.isPrimary]).sort()).toEqual([['ada.v2@example.org', true], ['ada@new.example.org', false]]);
    expect(v2.phones).toHaveLength(1);
    const v3 = (await byExternalId(ctx.database, o.id, 'voter_file', 'V3'))!;
    expect(v3.addresses.map((a) => [a.line1, a.isPrimary])).toEqual([['12 High St', true], ['1 Other Road', false]]);
    // The update is on the record's timeline, with what changed.
    const events = await ctx.database.db.selectFrom('events').select(['action', 'before', 'after']).where('office_id', '=', o.id).where('constituent_id', '=', v2.id).orderBy('id').execute();
    expect(events.map((e) => e.action)).toEqual(['constituent_created', 'constituent_updated']);
    expect(events[1]!.before).toEqual({ family_name: 'Lovelace V2' });
    expect(events[1]!.after).toMatchObject({ changes: { family_name: 'Byron', tags: ['patron'] }, added: ['ada@new.example.org'], summary: expect.stringMatching(/row 3/) });
    // Address spelt differently but the same (the database's address key) is not added again.
    const same = await importCsv(ctx.database, o, csv([HEAD, person('V3', { Street: '1 other rd.' })]), MAP);
    expect([same.updated, same.unchanged]).toEqual([0, 1]);
  });

  it('keeps external ids per office: the same voter id elsewhere is a different person', async () => {
    const [a, b] = [await office(), await office()];
    await importCsv(ctx.database, a, csv([HEAD, person('V1')]), MAP);
    const r = await importCsv(ctx.database, b, csv([HEAD, person('V1', { 'Last name': 'Elsewhere' })]), MAP);
    expect([r.created, r.updated]).toEqual([1, 0]);
    expect((await byExternalId(ctx.database, a.id, 'voter_file', 'V1'))!.familyName).toBe('Lovelace V1');
  });

  it('checks custom fields against the office definitions', async () => {
    const o = await office();
    const scope = systemScope(ctx.database.db, o.id, 'test');
    await createField(scope, { key: 'households', label: 'Households', type: 'number' });
    await createField(scope, { key: 'canvassed', label: 'Canvassed', type: 'date' });
    await createField(scope, { key: 'support', label: 'Support', type: 'choice', options: ['Strong', 'Weak'] });
    await createField(scope, { key: 'issues', label: 'Issues', type: 'multi_choice', options: ['Housing', 'Roads', 'Schools'] });
    const head = ['id', 'name', 'n', 'when', 'support', 'issues'];
    const map = { columns: { id: 'externalId:crm', name: 'familyName', n: 'custom:households', when: 'custom:canvassed', support: 'custom:support', issues: 'custom:issues' }, dateFormat: 'DD/MM/YYYY', choiceSeparator: '|' };
    const r = await importCsv(ctx.database, o, csv([head, ['1', 'Ok', '3', '01/02/2024', 'strong', 'Housing|roads'], ['2', 'Bad', 'three', '2024-13-01', 'Maybe', 'Housing|Parks']]), map);
    expect([r.created, r.rejected]).toEqual([1, 1]);
    expect(r.errors).toEqual([
      { row: 3, column: 'n', reason: 'must be a number' },
      { row: 3, column: 'when', reason: 'is not a real date (expected YYYY-MM-DD or DD/MM/YYYY)' },
      { row: 3, column: 'support', reason: 'must be one of: Strong, Weak' },
      { row: 3, column: 'issues', reason: '"Parks" is not one of: Housing, Roads, Schools' },
    ]);
    expect((await byExternalId(ctx.database, o.id, 'crm', '1'))!.customFields).toEqual({ households: 3, canvassed: '2024-02-01', support: 'Strong', issues: ['Housing', 'Roads'] });
  });
});

describe('encodings', () => {
  const head = 'id,given,family\n';
  const map = { columns: { id: 'externalId:crm', given: 'givenName', family: 'familyName' } };

  it('reads windows-1252 and latin1 when told, and UTF-16 and UTF-8 with a byte-order mark by themselves', async () => {
    const o = await office();
    const cp1252 = Buffer.concat([Buffer.from(head), Buffer.from([0x31, 0x2c, 0x5a, 0x6f, 0xeb, 0x2c, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x20, 0x80, 0x0a])]); // 1,Zoë,Müller €
    expect((await importCsv(ctx.database, o, cp1252, map, { encoding: 'windows-1252' })).created).toBe(1);
    expect((await byExternalId(ctx.database, o.id, 'crm', '1'))!.familyName).toBe('Müller €');
    const latin1 = Buffer.from(`${head}2,Zoë,Ødegård\n`, 'latin1');
    expect((await importCsv(ctx.database, o, latin1, map, { encoding: 'latin1' })).created).toBe(1);
    expect((await byExternalId(ctx.database, o.id, 'crm', '2'))!.familyName).toBe('Ødegård');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${head}3,Siân,Ng\n`, 'utf16le')]);
    expect((await importCsv(ctx.database, o, utf16, map)).created).toBe(1);
    expect((await byExternalId(ctx.database, o.id, 'crm', '3'))!.givenName).toBe('Siân');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${head}4,Łucja,Nowak\n`)]);
    expect((await importCsv(ctx.database, o, bom, map)).created).toBe(1);
    expect((await byExternalId(ctx.database, o.id, 'crm', '4'))!.givenName).toBe('Łucja');
  });

  it('refuses a file that is not valid UTF-8 without --encoding, before writing anything, and records why', async () => {
    const o = await office();
    const rows = Array.from({ length: 50 }, (_, i) => `${i},Ann,Smith\n`).join('');
    const bad = Buffer.concat([Buffer.from(head + rows), Buffer.from([0x39, 0x39, 0x2c, 0x5a, 0x6f, 0xeb, 0x2c, 0x58, 0x0a])]);
    const err = await importCsv(ctx.database, o, bad, map).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as Error).message).toMatch(/not valid UTF-8 \(line 52, byte \d+ is 0xEB\).*--encoding windows-1252/);
    expect(await countConstituents(ctx.database, o.id)).toBe(0);
    const [recorded] = await repo.list(ctx.database.db, o.id, undefined, 1);
    expect([recorded!.status, recorded!.error]).toEqual(['failed', (err as Error).message]);
  });
});

describe('mapping problems', () => {
  it.each([
    ['a mapped column missing from the file', { columns: { id: 'externalId:crm', name: 'familyName', Phone: 'phone' } }, 'mapping.columns.Phone', /no column "Phone"/],
    ['a file column the mapping leaves out', { columns: { id: 'externalId:crm' } }, 'mapping.columns', /does not say what to do with column "name"/],
    ['a field mapped twice', { columns: { id: 'givenName', name: 'givenName' } }, 'mapping.columns.name', /givenName is mapped from both "id" and "name"/],
    ['an unknown custom field', { columns: { id: 'externalId:crm', name: 'custom:nope' } }, 'mapping.columns.name', /custom:nope is not a custom field of this office/],
    ['no name and no external id', { columns: { id: 'email', name: 'ignore' } }, 'mapping.columns', /Map a name column/],
  ])('stops on %s before any row', async (_label, mapping, field, message) => {
    const o = await office();
    const err = (await importCsv(ctx.database, o, 'id,name\n1,Smith\n', mapping).catch((e: unknown) => e)) as DomainError;
    expect(err).toBeInstanceOf(DomainError);
    expect([err.code, err.field]).toEqual(['validation_failed', field]);
    expect(err.message).toMatch(message);
    expect(await countConstituents(ctx.database, o.id)).toBe(0);
    expect((await repo.list(ctx.database.db, o.id, undefined, 1))[0]!.status).toBe('failed');
  });

  it('ignores unmapped columns when told to', async () => {
    const o = await office();
    const r = await importCsv(ctx.database, o, 'id,name,extra\n1,Smith,zzz\n', { columns: { id: 'externalId:crm', name: 'familyName' }, unmapped: 'ignore' });
    expect(r.created).toBe(1);
  });
});
