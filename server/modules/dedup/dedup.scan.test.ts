import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';
import type { Office } from '../../../contract/offices.js';
import { candidates, pairKey, staffOffice } from '../../../test/dedup-fixtures.js';
import { defineDedupJobs } from './dedup.jobs.js';
import { DEFAULT_RULES, LIMITS } from './dedup.rules.js';
import { requestScan, runScan } from './dedup.scan.js';
import { systemScope } from '../../platform/scope.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  defineDedupJobs(ctx.jobs, ctx.database);
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(() => ctx.close());

async function scanNow(office: Office) {
  const { scan } = await requestScan(systemScope(ctx.database.db, office.id, 'test'), 'cli', async () => undefined);
  return runScan(ctx.database.db, office.id, scan.id);
}

describe('duplicate scan', () => {
  it('finds copies by email, typo name + postcode, date of birth + name and address, and leaves different people alone', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const oliver = await add({ given: 'Oliver', family: 'Bennett', emails: ['o.bennett@mail.example'], addresses: [{ line1: '3 Quarry Close', postcode: 'RV4 1AA' }] });
    const olly = await add({ given: 'Olly', family: 'Bennet', emails: ['O.Bennett@mail.example'] });
    const jonathan = await add({ given: 'Jonathan', family: 'Whitfield', addresses: [{ line1: '12 Mill Lane', postcode: 'RV1 2AB' }] });
    const jonathon = await add({ given: 'Jonathon', family: 'Whitfield', addresses: [{ line1: 'Flat 3, 40 Mill Lane', postcode: 'rv12ab' }] });
    const catherine = await add({ given: 'Catherine', family: 'Okafor', dob: '1980-04-12' });
    const katherine = await add({ given: 'Katherine', family: 'Okafor', dob: '1980-04-12', phones: ['+447700900555'] });
    const daniel = await add({ given: 'Daniel', family: 'Price', addresses: [{ line1: '7 Church Road', postcode: 'RV2 3CD' }] });
    const danial = await add({ given: 'Danial', family: 'Price', addresses: [{ line1: '7 Church Rd.', postcode: 'RV2 3CD' }] });
    // Different people sharing a postcode, a birth date, an address, a phone.
    await add({ given: 'Amelia', family: 'Hughes', addresses: [{ line1: '14 Mill Lane', postcode: 'RV1 2AB' }] });
    await add({ given: 'Harry', family: 'Khan', dob: '1980-04-12', phones: ['+447700900555'] });
    await add({ kind: 'organisation', org: 'Whitfield Mill Lane Bakery', addresses: [{ line1: '12 Mill Lane', postcode: 'RV1 2AB' }] });
    await add({ given: 'Susan', family: 'Price', addresses: [{ line1: '7 Church Road', postcode: 'RV2 3CD' }] });

    const result = await scanNow(office);
    expect(result).toMatchObject({ records: 12, open: 4, created: 4, removed: 0, decided: 0, skippedBlocks: 0 });
    const found = new Map((await candidates(api)).map((c) => [pairKey(c.lowId, c.highId), c]));
    expect([...found.keys()].sort()).toEqual([pairKey(oliver, olly), pairKey(jonathan, jonathon), pairKey(catherine, katherine), pairKey(daniel, danial)].sort());
    expect(found.get(pairKey(oliver, olly))).toMatchObject({ score: 70, reasons: ['same email o.bennett@mail.example'] });
    expect(found.get(pairKey(jonathan, jonathon))).toMatchObject({ score: 50, reasons: [expect.stringMatching(/^similar name 0\.\d\d \+ same postcode$/)] });
    expect(found.get(pairKey(catherine, katherine))).toMatchObject({ score: 60, reasons: [expect.stringMatching(/^similar name 0\.\d\d \+ same date of birth$/)] });
    const price = found.get(pairKey(daniel, danial))!;
    expect(price.score).toBe(120);
    expect(price.reasons).toEqual([expect.stringMatching(/\+ same address$/), expect.stringMatching(/\+ same postcode$/)]);
    // Best score first, both records summarised.
    const list = await candidates(api);
    expect(list.map((c) => c.score)).toEqual([120, 70, 60, 50]);
    expect([list[0]!.low.displayName, list[0]!.high.displayName].sort()).toEqual(['Danial Price', 'Daniel Price']);
  });

  it('counts a shared phone only when the office weighs it enough, and tunes the name similarity', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const a = await add({ given: 'Priya', family: 'Raman', phones: ['+447700900111'] });
    const b = await add({ given: 'Priya', family: 'Ramen', phones: ['+447700900111'] });
    const c = await add({ given: 'Catherine', family: 'Okafor', dob: '1980-04-12' });
    const d = await add({ given: 'Katherine', family: 'Okafor', dob: '1980-04-12' });
    await scanNow(office);
    // A shared phone alone (40) is under the threshold (50); the names are similar enough at 0.5.
    expect((await candidates(api)).map((x) => pairKey(x.lowId, x.highId))).toEqual([pairKey(c, d)]);
    const rules = structuredClone(DEFAULT_RULES);
    rules.rules.exactPhone.weight = 50;
    rules.nameSimilarity = 0.9;
    expect((await api('PUT', '/api/v1/dedup/rules', rules)).statusCode).toBe(200);
    const rescan = await scanNow(office);
    expect((await candidates(api)).map((x) => [pairKey(x.lowId, x.highId), x.reasons])).toEqual([[pairKey(a, b), ['same phone +447700900111']]]);
    expect(rescan).toMatchObject({ created: 1, removed: 1 });
  });

  it('remembers "not a duplicate" across scans and removes open pairs that no longer match', async () => {
    const { office, api, add } = await staffOffice(ctx);
    const a1 = await add({ given: 'Grace', family: 'Adeyemi', emails: ['grace.a@mail.example'] });
    const a2 = await add({ given: 'Grace', family: 'Adeyemi', emails: ['grace.a@mail.example'] });
    const b1 = await add({ given: 'Tomasz', family: 'Nowak', dob: '1975-01-30' });
    const b2 = await add({ given: 'Tomas', family: 'Nowak', dob: '1975-01-30' });
    await scanNow(office);
    const [low, high] = pairKey(a1, a2).split('|');
    expect((await api('POST', `/api/v1/dedup/candidates/${low}/${high}/dismiss`)).statusCode).toBe(200);
    await ctx.database.db.updateTable('constituents').set({ date_of_birth: '1976-02-01' }).where('id', '=', b2).execute();
    const again = await scanNow(office);
    expect(again).toMatchObject({ open: 0, created: 0, removed: 1, decided: 1 });
    expect(await candidates(api)).toEqual([]);
    const dismissed = await candidates(api, 'dismissed');
    expect(dismissed.map((c) => pairKey(c.lowId, c.highId))).toEqual([pairKey(a1, a2)]);
    expect(b1).not.toBe(b2);
    // Reopened, it is open again and a rescan keeps it open.
    expect((await api('POST', `/api/v1/dedup/candidates/${high}/${low}/reopen`)).json()).toMatchObject({ status: 'open' });
    await scanNow(office);
    expect((await candidates(api)).map((c) => pairKey(c.lowId, c.highId))).toEqual([pairKey(a1, a2)]);
  });

  it('skips blocks over the cap and counts them', async () => {
    const { office, api, add } = await staffOffice(ctx);
    for (let i = 0; i < LIMITS.exactBlockCap + 2; i++) await add({ given: `Person${i}`, family: `Shared${i}`, emails: ['office@shared.example'] });
    const x = await add({ given: 'Ada', family: 'Lovelace', emails: ['ada@mail.example'] });
    const y = await add({ given: 'Augusta', family: 'King', emails: ['ada@mail.example'] });
    const result = await scanNow(office);
    expect(result).toMatchObject({ open: 1, skippedBlocks: 1 });
    const scan = (await api('GET', '/api/v1/dedup/scans?limit=1')).json().items[0];
    expect(scan.steps.find((s: { rule: string }) => s.rule === 'exactEmail')).toMatchObject({ status: 'done', blocks: 1, skippedBlocks: 1, skippedRecords: LIMITS.exactBlockCap + 2, pairs: 1 });
    expect((await candidates(api)).map((c) => pairKey(c.lowId, c.highId))).toEqual([pairKey(x, y)]);
  });

  it('runs as a job queued by POST /dedup/scan, one at a time per office, with progress per rule', async () => {
    const { office, api, add } = await staffOffice(ctx, 'manager');
    await add({ given: 'Nia', family: 'Evans', emails: ['nia@mail.example'] });
    await add({ given: 'Nia', family: 'Evans', emails: ['nia@mail.example'] });
    const first = await api('POST', '/api/v1/dedup/scan');
    expect(first.statusCode).toBe(201);
    const queued = first.json();
    expect(queued).toMatchObject({ status: 'queued', source: 'api', result: null });
    expect(queued.steps.map((s: { rule: string; status: string }) => `${s.rule}:${s.status}`)).toEqual([
      'exactEmail:pending', 'exactPhone:pending', 'nameAddress:pending', 'namePostcode:pending', 'nameDob:pending',
    ]);
    const second = await api('POST', '/api/v1/dedup/scan');
    if (second.statusCode === 200) expect(second.json().id).toBe(queued.id); // still queued or running
    else expect(second.statusCode).toBe(201); // the first had already finished
    let scan = queued;
    for (let i = 0; i < 120 && scan.status !== 'completed' && scan.status !== 'failed'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      scan = (await api('GET', `/api/v1/dedup/scans/${queued.id}`)).json();
    }
    expect(scan).toMatchObject({ status: 'completed', error: null, result: { records: 2, open: 1 } });
    expect(scan.steps.every((s: { status: string; ms: number | null }) => s.status === 'done' && s.ms !== null)).toBe(true);
    expect((await candidates(api)).length).toBe(1);
    const audit = (await ctx.database.db.selectFrom('events').select(['action', 'entity_type']).where('office_id', '=', office.id).where('entity_type', '=', 'dedup_scan').execute());
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('lets only staff who merge run scans and read the queue', async () => {
    const { office } = await staffOffice(ctx);
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, office, 'caseworker')));
    expect((await caseworker('POST', '/api/v1/dedup/scan')).statusCode).toBe(403);
    expect((await caseworker('GET', '/api/v1/dedup/candidates')).statusCode).toBe(403);
    expect((await caseworker('GET', '/api/v1/dedup/scans')).statusCode).toBe(403);
    expect(await ctx.database.db.selectFrom('dedup_scans').select('id').where('office_id', '=', office.id).execute()).toEqual([]);
  });

  it("never shows or scans another office's records", async () => {
    const a = await staffOffice(ctx);
    const b = await staffOffice(ctx);
    await a.add({ given: 'Leah', family: 'Morgan', emails: ['leah@mail.example'] });
    await b.add({ given: 'Leah', family: 'Morgan', emails: ['leah@mail.example'] });
    const inA = await a.add({ given: 'Leah', family: 'Morgan', emails: ['leah@mail.example'] });
    const result = await scanNow(a.office);
    expect(result).toMatchObject({ records: 2, open: 1 });
    const found = await candidates(a.api);
    expect(found.flatMap((c) => [c.lowId, c.highId])).toContain(inA);
    await scanNow(b.office);
    expect(await candidates(b.api)).toEqual([]);
    const aScan = (await a.api('GET', '/api/v1/dedup/scans?limit=1')).json().items[0];
    expect((await b.api('GET', `/api/v1/dedup/scans/${aScan.id}`)).statusCode).toBe(404);
    const [low, high] = [found[0]!.lowId, found[0]!.highId];
    expect((await b.api('POST', `/api/v1/dedup/candidates/${low}/${high}/dismiss`)).statusCode).toBe(404);
    expect((await candidates(a.api)).length).toBe(1);
  });
});
