import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';
import { candidates, pairKey, staffOffice } from '../../../test/dedup-fixtures.js';
import { DEFAULT_RULES, LIMITS } from './dedup.rules.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());

describe('match rules', () => {
  it('starts from the defaults and saves valid rules, audited', async () => {
    const { office, api } = await staffOffice(ctx, 'manager');
    const first = await api('GET', '/api/v1/dedup/rules');
    expect(first.json()).toEqual({ rules: DEFAULT_RULES, isDefault: true, updatedAt: null, limits: LIMITS });
    const rules = structuredClone(DEFAULT_RULES);
    rules.rules.exactPhone = { enabled: false, weight: 10 };
    rules.nameSimilarity = 0.6;
    rules.scoreThreshold = 60;
    const saved = await api('PUT', '/api/v1/dedup/rules', rules);
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ rules, isDefault: false, updatedAt: expect.any(String) });
    expect((await api('GET', '/api/v1/dedup/rules')).json().rules).toEqual(rules);
    const events = await ctx.database.db.selectFrom('events').select(['action', 'before', 'after']).where('office_id', '=', office.id).where('entity_type', '=', 'dedup_settings').execute();
    expect(events).toEqual([{ action: 'updated', before: DEFAULT_RULES, after: rules }]);
  });

  it.each([
    ['a weight of 0', (r: typeof DEFAULT_RULES) => (r.rules.exactEmail.weight = 0), 'rules.exactEmail.weight'],
    ['a weight over 100', (r: typeof DEFAULT_RULES) => (r.rules.nameDob.weight = 101), 'rules.nameDob.weight'],
    ['a fractional weight', (r: typeof DEFAULT_RULES) => (r.rules.nameAddress.weight = 12.5), 'rules.nameAddress.weight'],
    ['a similarity over 1', (r: typeof DEFAULT_RULES) => (r.nameSimilarity = 1.5), 'nameSimilarity'],
    ['a similarity under 0.2', (r: typeof DEFAULT_RULES) => (r.nameSimilarity = 0.05), 'nameSimilarity'],
    ['an unreachable threshold', (r: typeof DEFAULT_RULES) => (r.scoreThreshold = 400), 'scoreThreshold'],
    ['every rule off', (r: typeof DEFAULT_RULES) => Object.values(r.rules).forEach((x) => (x.enabled = false)), 'rules'],
    ['an unknown rule', (r: typeof DEFAULT_RULES) => Object.assign(r.rules, { sameShoeSize: { enabled: true, weight: 5 } }), 'rules.sameShoeSize'],
    ['a missing rule', (r: typeof DEFAULT_RULES) => delete (r.rules as Partial<typeof r.rules>).nameDob, 'rules.nameDob'],
  ])('refuses %s with the field', async (_name, change, field) => {
    const { api } = await staffOffice(ctx);
    const rules = structuredClone(DEFAULT_RULES);
    change(rules);
    const res = await api('PUT', '/api/v1/dedup/rules', rules);
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect((await api('GET', '/api/v1/dedup/rules')).json().isDefault).toBe(true);
  });

  it('is for staff who configure the registry, per office', async () => {
    const a = await staffOffice(ctx);
    const b = await staffOffice(ctx);
    const caseworker = asSession(ctx, await signIn(ctx, await createUser(ctx, a.office, 'caseworker')));
    expect((await caseworker('GET', '/api/v1/dedup/rules')).statusCode).toBe(403);
    expect((await caseworker('PUT', '/api/v1/dedup/rules', DEFAULT_RULES)).statusCode).toBe(403);
    const rules = { ...structuredClone(DEFAULT_RULES), scoreThreshold: 90 };
    expect((await a.api('PUT', '/api/v1/dedup/rules', rules)).statusCode).toBe(200);
    expect((await b.api('GET', '/api/v1/dedup/rules')).json()).toMatchObject({ isDefault: true, rules: DEFAULT_RULES });
  });
});

describe('review queue', () => {
  async function queue() {
    const s = await staffOffice(ctx);
    const pairs: [string, string][] = [];
    for (let i = 0; i < 5; i++) {
      const email = `twin${i}@mail.example`;
      const a = await s.add({ given: `Twin${i}`, family: 'Carter', emails: [email], dob: i < 2 ? '2000-01-01' : null });
      const b = await s.add({ given: `Twin${i}`, family: 'Carter', emails: [email], dob: i < 2 ? '2000-01-01' : null });
      pairs.push([a, b]);
    }
    const o = { office_id: s.office.id };
    await ctx.database.db.insertInto('duplicate_candidates').values(pairs.map(([a, b], i) => ({
      ...o, low_id: a < b ? a : b, high_id: a < b ? b : a, score: i < 2 ? 130 : 70, reasons: JSON.stringify(['same email x']),
    }))).execute();
    return { ...s, pairs };
  }

  it('pages through open pairs best score first, with both records summarised', async () => {
    const { api, pairs } = await queue();
    const page1 = await api('GET', '/api/v1/dedup/candidates?limit=2');
    expect(page1.statusCode).toBe(200);
    const body = page1.json();
    expect(body.items.map((c: { score: number }) => c.score)).toEqual([130, 130]);
    expect(body.items[0].low).toMatchObject({ displayName: expect.stringMatching(/^Twin[01] Carter$/), email: expect.stringMatching(/^twin[01]@mail\.example$/), dateOfBirth: '2000-01-01', status: 'active' });
    const all = await candidates(api);
    expect(all.map((c) => c.score)).toEqual([130, 130, 70, 70, 70]);
    expect(new Set(all.map((c) => pairKey(c.lowId, c.highId)))).toEqual(new Set(pairs.map(([a, b]) => pairKey(a, b))));
    expect((await api('GET', '/api/v1/dedup/candidates?cursor=not-a-cursor')).json()).toMatchObject({ code: 'invalid_cursor', field: 'cursor' });
    expect((await api('GET', '/api/v1/dedup/candidates?status=maybe')).statusCode).toBe(400);
    expect((await api('GET', '/api/v1/dedup/candidates?limit=500')).statusCode).toBe(400);
  });

  it('dismisses and reopens a pair, once each, audited on both records', async () => {
    const { office, api, pairs } = await queue();
    const [a, b] = pairs[3]!;
    const dismissed = await api('POST', `/api/v1/dedup/candidates/${b}/${a}/dismiss`);
    expect(dismissed.statusCode).toBe(200);
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', decidedAt: expect.any(String) });
    const twice = await api('POST', `/api/v1/dedup/candidates/${a}/${b}/dismiss`);
    expect([twice.statusCode, twice.json().reason]).toEqual([409, 'already_dismissed']);
    expect((await candidates(api)).length).toBe(4);
    expect((await candidates(api, 'dismissed')).map((c) => pairKey(c.lowId, c.highId))).toEqual([pairKey(a, b)]);
    const events = await ctx.database.db.selectFrom('events').select(['constituent_id', 'action']).where('office_id', '=', office.id).where('entity_type', '=', 'duplicate_candidate').execute();
    expect(events.map((e) => e.constituent_id).sort()).toEqual([a, b].sort());
    expect((await api('POST', `/api/v1/dedup/candidates/${a}/${b}/reopen`)).json()).toMatchObject({ status: 'open', decidedAt: null });
    expect((await api('POST', `/api/v1/dedup/candidates/${a}/${b}/reopen`)).statusCode).toBe(409);
    expect((await api('POST', `/api/v1/dedup/candidates/${a}/${a}/dismiss`)).statusCode).toBe(404);
    expect((await api('POST', `/api/v1/dedup/candidates/${a}/not-a-uuid/dismiss`)).json()).toMatchObject({ code: 'validation_failed', field: 'highId' });
  });
});
