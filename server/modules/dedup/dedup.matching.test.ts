import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { candidates, staffOffice } from '../../../test/dedup-fixtures.js';
import { findMatches, type MatchProbe } from './dedup.matching.js';
import { DEFAULT_RULES } from './dedup.rules.js';
import { requestScan, runScan } from './dedup.scan.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

const probe = (p: Partial<MatchProbe>): MatchProbe => ({
  kind: 'person', givenName: null, familyName: null, organisationName: null, dateOfBirth: null, emails: [], phones: [], addresses: [], ...p,
});

describe('findMatches', () => {
  it('finds records by each rule, scored and explained like the scan, best first', async () => {
    const { office, add } = await staffOffice(ctx);
    const match = (p: Partial<MatchProbe>) => findMatches(ctx.database.db, office.id, probe(p));
    const byEmail = await add({ given: 'Fatima', family: 'Begum', emails: ['fatima.begum@mail.example'] });
    const byPostcode = await add({ given: 'Gareth', family: 'Llewellyn', addresses: [{ line1: '2 Ash Grove', postcode: 'RV3 4EF' }] });
    const byAddress = await add({ given: 'Megan', family: 'Rees', addresses: [{ line1: '9 Station Road', line2: null, postcode: 'RV5 6GH' }] });
    const byDob = await add({ given: 'Siobhan', family: 'Murphy', dob: '1991-07-19' });
    await add({ given: 'Owen', family: 'Jenkins', phones: ['+447700900321'] });

    expect(await match({ givenName: 'F', familyName: 'Someone', emails: ['Fatima.Begum@mail.example'] })).toEqual([
      { id: byEmail, displayName: 'Fatima Begum', score: 70, reasons: ['same email fatima.begum@mail.example'] },
    ]);
    const postcode = await match({ givenName: 'Garath', familyName: 'Llewellyn', addresses: [{ line1: '40 Elm Street', line2: null, postcode: 'rv34ef' }] });
    expect(postcode).toEqual([{ id: byPostcode, displayName: 'Gareth Llewellyn', score: 50, reasons: [expect.stringMatching(/^similar name 0\.\d\d \+ same postcode$/)] }]);
    const address = await match({ givenName: 'Megan', familyName: 'Reese', addresses: [{ line1: '9 Station Rd', line2: null, postcode: 'RV5 6GH' }] });
    expect(address.map((m) => [m.id, m.score, m.reasons.map((r) => r.replace(/0\.\d\d/, 'S'))])).toEqual([[byAddress, 120, ['similar name S + same address', 'similar name S + same postcode']]]);
    expect((await match({ givenName: 'Siobhán', familyName: 'Murphy', dateOfBirth: '1991-07-19' })).map((m) => [m.id, m.score])).toEqual([[byDob, 60]]);
    // A shared phone alone is under the default threshold; with a similar name at the same postcode it adds up.
    expect(await match({ givenName: 'Nobody', familyName: 'Else', phones: ['+447700900321'] })).toEqual([]);
    // Different people: same birth date, another name; same postcode, another name; another kind.
    expect(await match({ givenName: 'Harold', familyName: 'Pinter', dateOfBirth: '1991-07-19', addresses: [{ line1: '1 Ash Grove', line2: null, postcode: 'RV3 4EF' }] })).toEqual([]);
    expect(await match({ kind: 'organisation', organisationName: 'Gareth Llewellyn', addresses: [{ line1: '2 Ash Grove', line2: null, postcode: 'RV3 4EF' }] })).toEqual([]);
    // Several at once: best score first.
    const both = await match({ givenName: 'Fatima', familyName: 'Begum', emails: ['fatima.begum@mail.example'], dateOfBirth: '1991-07-19' });
    expect(both.map((m) => m.id)).toEqual([byEmail]);
    const two = await match({ givenName: 'Megan', familyName: 'Rees', emails: ['fatima.begum@mail.example'], addresses: [{ line1: '9 Station Road', line2: null, postcode: 'RV5 6GH' }] });
    expect(two.map((m) => [m.id, m.score])).toEqual([[byAddress, 120], [byEmail, 70]]);
  });

  it('leaves out merged records, the record itself and other offices, and returns at most 10', async () => {
    const { office, add } = await staffOffice(ctx);
    const other = await staffOffice(ctx);
    const email = 'family@mail.example';
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await add({ given: `Member${i}`, family: 'Family', emails: [email] }));
    await other.add({ given: 'Member', family: 'Family', emails: [email] });
    const merged = ids.pop()!;
    await ctx.database.db.updateTable('constituents').set({ status: 'merged', merged_into_id: ids[0]! }).where('id', '=', merged).execute();
    const found = await findMatches(ctx.database.db, office.id, probe({ givenName: 'X', familyName: 'Y', emails: [email], excludeId: ids[1]! }));
    expect(found).toHaveLength(10);
    expect(found.every((m) => ids.includes(m.id) && m.id !== ids[1])).toBe(true);
    expect((await findMatches(ctx.database.db, other.office.id, probe({ givenName: 'X', familyName: 'Y', emails: [email] }))).length).toBe(1);
  });

  it("follows the office's rules: disabled rules and a higher threshold", async () => {
    const { office, api, add } = await staffOffice(ctx);
    await add({ given: 'Iwan', family: 'Pritchard', emails: ['iwan@mail.example'], dob: '1960-02-02' });
    const p = probe({ givenName: 'Iwan', familyName: 'Pritchard', emails: ['iwan@mail.example'], dateOfBirth: '1960-02-02' });
    expect((await findMatches(ctx.database.db, office.id, p))[0]?.score).toBe(130);
    const rules = structuredClone(DEFAULT_RULES);
    rules.rules.exactEmail.enabled = false;
    rules.scoreThreshold = 61;
    expect((await api('PUT', '/api/v1/dedup/rules', rules)).statusCode).toBe(200);
    expect(await findMatches(ctx.database.db, office.id, p)).toEqual([]);
  });

  it('gives the same score and reasons as the scan for the same pair', async () => {
    const { office, api, add, scope } = await staffOffice(ctx);
    const spec = { given: 'Bethan', family: 'Llewelyn', dob: '1985-03-03', emails: ['bethan@mail.example'], addresses: [{ line1: '4 Bridge Street', postcode: 'RV6 7JK' }] };
    const a = await add(spec);
    const b = await add({ ...spec, given: 'Bethany', addresses: [{ line1: '4 Bridge St', postcode: 'RV6 7JK' }] });
    const { scan } = await requestScan(scope, 'cli', async () => undefined);
    await runScan(ctx.database.db, office.id, scan.id);
    const [pair] = await candidates(api);
    const probeB = probe({ excludeId: b, givenName: 'Bethany', familyName: 'Llewelyn', dateOfBirth: '1985-03-03', emails: ['bethan@mail.example'], addresses: [{ line1: '4 Bridge St', line2: null, postcode: 'RV6 7JK' }] });
    const [m] = await findMatches(ctx.database.db, office.id, probeB);
    expect(m).toMatchObject({ id: a, score: pair!.score, reasons: pair!.reasons });
    expect(pair!.score).toBe(250);
  });

  it('makes creating someone already on record answer 409 possible_duplicate with the matches', async () => {
    const { api, add } = await staffOffice(ctx);
    const existing = await add({ given: 'Rhiannon', family: 'Davies', emails: ['rhiannon@mail.example'] });
    const body = { givenName: 'Rhianon', familyName: 'Davies', emails: [{ email: 'rhiannon@mail.example' }] };
    const res = await api('POST', '/api/v1/constituents', body);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'possible_duplicate', matches: [{ id: existing, displayName: 'Rhiannon Davies', score: 70, reasons: ['same email rhiannon@mail.example'] }] });
    expect((await api('POST', '/api/v1/constituents', { ...body, ignoreDuplicates: true })).statusCode).toBe(201);
  });
});
