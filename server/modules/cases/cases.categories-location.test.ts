// The category flag locationPrivate ("keep locations private"): created off unless asked,
// set and cleared by PATCH, read back in the list, refused when not a boolean, and recorded in
// the category's audit events; other offices' categories are untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseCategory } from '../../../contract/cases.js';
import { createTestApp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

describe('locationPrivate on case categories', () => {
  it('is off by default, can be set at creation, changed by PATCH and read back', async () => {
    const { manager, caseworker } = await casework(ctx);
    const plain = ok(await manager.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') }), 201) as CaseCategory;
    expect(plain.locationPrivate).toBe(false);
    const kept = ok(await manager.api('POST', '/api/v1/case-categories', { name: uniq('Benefits'), locationPrivate: true }), 201) as CaseCategory;
    expect(kept.locationPrivate).toBe(true);
    const list = async () => (ok(await caseworker.api('GET', '/api/v1/case-categories'), 200) as { items: CaseCategory[] }).items;
    expect((await list()).find((c) => c.id === kept.id)?.locationPrivate).toBe(true);

    const changed = ok(await manager.api('PATCH', `/api/v1/case-categories/${plain.id}`, { locationPrivate: true }), 200) as CaseCategory;
    expect(changed.locationPrivate).toBe(true);
    // Another change leaves it as it is.
    expect((ok(await manager.api('PATCH', `/api/v1/case-categories/${plain.id}`, { name: uniq('Roads') }), 200) as CaseCategory).locationPrivate).toBe(true);
    expect((ok(await manager.api('PATCH', `/api/v1/case-categories/${kept.id}`, { locationPrivate: false }), 200) as CaseCategory).locationPrivate).toBe(false);
    const after = await list();
    expect(after.find((c) => c.id === plain.id)?.locationPrivate).toBe(true);
    expect(after.find((c) => c.id === kept.id)?.locationPrivate).toBe(false);
  });

  it('refuses a value that is not a boolean, and only staff who configure categories may change it', async () => {
    const { manager, caseworker } = await casework(ctx);
    const c = ok(await manager.api('POST', '/api/v1/case-categories', { name: uniq('Noise') }), 201) as CaseCategory;
    refused(await manager.api('PATCH', `/api/v1/case-categories/${c.id}`, { locationPrivate: 'yes' }), 400, 'validation_failed', 'locationPrivate');
    expect((await caseworker.api('PATCH', `/api/v1/case-categories/${c.id}`, { locationPrivate: true })).statusCode).toBe(403);
    const other = await casework(ctx);
    expect((await other.manager.api('PATCH', `/api/v1/case-categories/${c.id}`, { locationPrivate: true })).statusCode).toBe(404);
    const list = (ok(await manager.api('GET', '/api/v1/case-categories'), 200) as { items: CaseCategory[] }).items;
    expect(list.find((x) => x.id === c.id)?.locationPrivate).toBe(false);
  });

  it('records the change in the category\'s audit events', async () => {
    const { manager, office } = await casework(ctx);
    const c = ok(await manager.api('POST', '/api/v1/case-categories', { name: uniq('Housing') }), 201) as CaseCategory;
    ok(await manager.api('PATCH', `/api/v1/case-categories/${c.id}`, { locationPrivate: true }), 200);
    const events = await ctx.database.db.selectFrom('events').select(['action', 'before', 'after'])
      .where('office_id', '=', office.id).where('entity_type', '=', 'case_category').where('entity_id', '=', c.id).orderBy('occurred_at').execute();
    const updated = events.find((e) => e.action === 'updated');
    expect(updated).toBeDefined();
    expect((updated!.before as { locationPrivate: boolean }).locationPrivate).toBe(false);
    expect((updated!.after as { locationPrivate: boolean }).locationPrivate).toBe(true);
  });
});
