// Related cases, duplicates, related links, merges and the case's location through the
// HTTP API: the nearby search (radius, window, category, open only), the same people, marking
// and unmarking a duplicate (with the refusals: itself, another office, chains), merging two
// cases of one person, geocoding an address on edit, and bad input writing nothing.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseLink, RelatedCases } from '../../../contract/case-links.js';
import type { Case, CaseTimelineEntry } from '../../../contract/cases.js';
import { createConstituent, createTestApp, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { importRegister } from '../geo/geo.register.js';
import { duplicateRequesters } from './cases.links.js';
import { onCaseMerge } from './cases.merge-hooks.js';
import { casework, ok, refused, squareWard } from './cases.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

type World = Awaited<ReturnType<typeof casework>>;
const category = async (w: World, name: string) => (ok(await w.admin.api('POST', '/api/v1/case-categories', { name }), 201) as { id: string }).id;
/** About `m` metres north of (0.5, 0.5). */
const north = (m: number) => ({ lat: 0.5 + m / 111_320, lng: 0.5 });
const links = async (w: World, id: string) => (ok(await w.admin.api('GET', `/api/v1/cases/${id}/links`), 200) as { items: CaseLink[] }).items;
const timeline = async (w: World, id: string) => (ok(await w.admin.api('GET', `/api/v1/cases/${id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;

describe('related cases', () => {
  it('finds open cases of the same category within the radius and window, nearest first, and the same people’s open cases', async () => {
    const w = await casework(ctx);
    const [lights, noise] = [await category(w, 'Street lights'), await category(w, 'Noise')];
    const near = await w.open({ subject: 'Light out', categoryId: lights, location: north(20) });
    const nearer = await w.open({ subject: 'Light flickers', categoryId: lights, location: north(5) });
    await w.open({ subject: 'Far light', categoryId: lights, location: north(200) });
    await w.open({ subject: 'Noise nearby', categoryId: noise, location: north(5) });
    const closed = await w.open({ subject: 'Closed light', categoryId: lights, location: north(1) });
    ok(await w.admin.api('POST', `/api/v1/cases/${closed.id}/status`, { status: 'closed', resolutionCode: 'resolved', resolutionSummary: 'Fixed' }), 200);
    const mine = await w.open({ subject: 'Ada’s other case', constituents: [{ constituentId: w.person.id }] });
    const r = ok(await w.caseworker.api('GET', `/api/v1/cases/related?categoryId=${lights}&lat=0.5&lng=0.5&constituentId=${w.person.id}`), 200) as RelatedCases;
    expect(r.nearby.map((c) => c.subject)).toEqual(['Light flickers', 'Light out']);
    expect(r.nearby[0]!.distanceM).toBeGreaterThan(4);
    expect(r.nearby[0]!.distanceM).toBeLessThan(6);
    expect(r.samePeople.map((c) => c.id)).toEqual([mine.id]);
    expect([r.radiusM, r.windowDays]).toEqual([50, 30]);
    // A wider radius takes in the far one; the case page leaves the case itself out.
    ok(await w.manager.api('PATCH', '/api/v1/case-settings/related', { radiusM: 500 }), 200);
    const page = ok(await w.caseworker.api('GET', `/api/v1/cases/${near.id}/related`), 200) as RelatedCases;
    expect(page.nearby.map((c) => c.subject)).toEqual(['Light flickers', 'Far light']);
    expect(page.nearby.map((c) => c.id)).not.toContain(near.id);
    expect(nearer.id).toBe(page.nearby[0]!.id);
  });

  it('answers 400 naming the field for a latitude out of range, half a point, or a bad person id', async () => {
    const w = await casework(ctx);
    refused(await w.caseworker.api('GET', '/api/v1/cases/related?lat=91&lng=0'), 400, 'validation_failed', 'lat');
    refused(await w.caseworker.api('GET', '/api/v1/cases/related?lat=10'), 400, 'validation_failed', 'lng');
    refused(await w.caseworker.api('GET', '/api/v1/cases/related?lat=abc&lng=0'), 400, 'validation_failed', 'lat');
    refused(await w.caseworker.api('GET', '/api/v1/cases/related?constituentId=nope'), 400, 'validation_failed');
    refused(await w.manager.api('PATCH', '/api/v1/case-settings/related', { radiusM: 0 }), 400, 'validation_failed', 'radiusM');
    refused(await w.caseworker.api('PATCH', '/api/v1/case-settings/related', { radiusM: 100 }), 403, 'forbidden');
  });
});

describe('duplicates', () => {
  it('closes a duplicate with its resolution, links both ways, reaches its requester, and can be undone', async () => {
    const w = await casework(ctx);
    const reporter = await createConstituent(ctx, w.office, { givenName: 'Second', familyName: 'Reporter' });
    const original = await w.open({ subject: 'Broken light' });
    const dup = await w.open({ subject: 'Light broken again', constituents: [{ constituentId: reporter.id }] });
    ok(await w.caseworker.api('POST', `/api/v1/cases/${dup.id}/status`, { status: 'open' }), 200);
    const marked = ok(await w.caseworker.api('POST', `/api/v1/cases/${dup.id}/duplicate-of`, { originalId: original.id, comment: 'Same lamp post' }), 200) as Case;
    expect(marked).toMatchObject({ status: { category: 'closed' }, resolution: { code: 'duplicate', summary: `Duplicate of ${original.reference}: Same lamp post` } });
    expect((await links(w, dup.id)).map((l) => [l.kind, l.direction, l.case.id])).toEqual([['duplicate_of', 'outgoing', original.id]]);
    expect((await links(w, original.id)).map((l) => [l.kind, l.direction, l.case.id])).toEqual([['duplicate_of', 'incoming', dup.id]]);
    expect(await duplicateRequesters(ctx.database.db, w.office.id, original.id)).toEqual([reporter.id]);
    expect((await timeline(w, original.id))[0]!.summary).toBe(`${dup.reference} marked a duplicate of this case`);
    const undone = ok(await w.caseworker.api('DELETE', `/api/v1/cases/${dup.id}/duplicate-of`), 200) as Case;
    expect(undone).toMatchObject({ status: { key: 'open' }, resolution: null, closedAt: null });
    expect(await links(w, original.id)).toEqual([]);
    expect(await duplicateRequesters(ctx.database.db, w.office.id, original.id)).toEqual([]);
    expect((await timeline(w, dup.id))[0]!.summary).toBe(`No longer a duplicate of ${original.reference}; reopened (Open)`);
    refused(await w.caseworker.api('DELETE', `/api/v1/cases/${dup.id}/duplicate-of`), 409, 'conflict');
  });

  it('refuses a duplicate of itself, of another office’s case, of a duplicate (chain), and cycles, writing nothing', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const [a, b, c] = [await w.open({ subject: 'A' }), await w.open({ subject: 'B' }), await w.open({ subject: 'C' })];
    const theirs = await other.open({});
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/duplicate-of`, { originalId: a.id }), 400, 'validation_failed', 'originalId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/duplicate-of`, { originalId: theirs.id }), 400, 'validation_failed', 'originalId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${theirs.id}/duplicate-of`, { originalId: a.id }), 404, 'not_found');
    ok(await w.caseworker.api('POST', `/api/v1/cases/${b.id}/duplicate-of`, { originalId: a.id }), 200);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${c.id}/duplicate-of`, { originalId: b.id }), 400, 'validation_failed', 'originalId'); // chain
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/duplicate-of`, { originalId: b.id }), 400, 'validation_failed', 'originalId'); // cycle
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/duplicate-of`, { originalId: c.id }), 400, 'validation_failed', 'originalId'); // a has duplicates
    refused(await w.caseworker.api('POST', `/api/v1/cases/${b.id}/duplicate-of`, { originalId: c.id }), 409, 'conflict');
    expect((await w.read(a.id)).status.category).toBe('open');
    expect((await w.read(c.id)).status.category).toBe('open');
    expect(await links(w, c.id)).toEqual([]);
    expect((await other.read(theirs.id)).status.category).toBe('open');
  });

  it('links and unlinks related cases, both ways', async () => {
    const w = await casework(ctx);
    const [a, b] = [await w.open({ subject: 'A' }), await w.open({ subject: 'B' })];
    ok(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/links`, { caseId: b.id }), 200);
    expect((await links(w, b.id)).map((l) => [l.kind, l.direction, l.case.reference])).toEqual([['related', 'incoming', a.reference]]);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${b.id}/links`, { caseId: a.id }), 409, 'conflict', 'caseId');
    ok(await w.caseworker.api('DELETE', `/api/v1/cases/${b.id}/links/${a.id}`), 200);
    expect(await links(w, a.id)).toEqual([]);
  });
});

describe('merging', () => {
  it('moves the other case’s people, watchers, tags and duplicates to the survivor, runs the merge hooks, and closes it as merged', async () => {
    const w = await casework(ctx);
    const moved: string[] = [];
    onCaseMerge('test-recorder', async (_trx, _scope, m) => { moved.push(`${m.fromCaseId}>${m.intoCaseId}`); });
    const neighbour = await createConstituent(ctx, w.office, { givenName: 'Nia', familyName: 'Bour' });
    const into = await w.open({ subject: 'Survivor', tags: ['roads'], constituents: [{ constituentId: w.person.id }] });
    const from = await w.open({
      subject: 'Merged away', tags: ['roads', 'lights'], watcherIds: [w.analyst.user.id],
      constituents: [{ constituentId: w.person.id }, { constituentId: neighbour.id, role: 'affected' }],
    });
    const dup = await w.open({ subject: 'Dup of the merged one' });
    ok(await w.caseworker.api('POST', `/api/v1/cases/${dup.id}/duplicate-of`, { originalId: from.id }), 200);
    const merged = ok(await w.caseworker.api('POST', `/api/v1/cases/${into.id}/merge`, { fromCaseId: from.id }), 200) as Case;
    expect(merged.constituents.map((c) => [c.id, c.role])).toEqual([[w.person.id, 'requester'], [neighbour.id, 'affected']]);
    expect(merged.tags).toEqual(['roads', 'lights']);
    expect(merged.watchers.map((x) => x.id)).toEqual([w.analyst.user.id]);
    expect(moved).toContain(`${from.id}>${into.id}`);
    expect(await w.read(from.id)).toMatchObject({ status: { category: 'closed' }, resolution: { code: 'merged', summary: `Merged into ${into.reference}` } });
    expect((await links(w, into.id)).map((l) => [l.kind, l.direction, l.case.id]).sort()).toEqual([['duplicate_of', 'incoming', dup.id], ['merged_into', 'incoming', from.id]].sort());
    expect((await timeline(w, into.id))[0]!.summary).toMatch(new RegExp(`^${from.reference} merged into this case`));
    onCaseMerge('test-recorder', async () => undefined);
  });

  it('refuses merging into itself, across offices, without a shared person, and a sensitive case without case.sensitive', async () => {
    const w = await casework(ctx);
    const other = await casework(ctx);
    const stranger = await createConstituent(ctx, w.office, {});
    const a = await w.open({ constituents: [{ constituentId: w.person.id }] });
    const b = await w.open({ constituents: [{ constituentId: stranger.id }] });
    const theirs = await other.open({ constituents: [{ constituentId: other.person.id }] });
    const secret = await w.open({ isSensitive: true, constituents: [{ constituentId: w.person.id }] }, w.manager);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/merge`, { fromCaseId: a.id }), 400, 'validation_failed', 'fromCaseId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/merge`, { fromCaseId: theirs.id }), 400, 'validation_failed', 'fromCaseId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/merge`, { fromCaseId: b.id }), 400, 'validation_failed', 'fromCaseId');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${a.id}/merge`, { fromCaseId: secret.id }), 400, 'validation_failed', 'fromCaseId');
    refused(await w.manager.api('POST', `/api/v1/cases/${a.id}/merge`, { fromCaseId: secret.id }), 409, 'conflict', 'fromCaseId');
    expect((await w.read(b.id)).status.category).toBe('open');
    expect((await w.read(a.id)).constituents.map((c) => c.id)).toEqual([w.person.id]);
    expect((await other.read(theirs.id)).status.category).toBe('open');
  });
});

describe('location', () => {
  it('geocodes an address given without a pin through the register, takes a pin as given, and recomputes the ward', async () => {
    const w = await casework(ctx);
    const ward = await squareWard(w.admin);
    await importRegister(systemScope(ctx.database.db, w.office.id, 'test'), Readable.from(['line1,locality,postcode,lat,lng\n12 Mill Lane,Riverton,RV1 2AB,0.25,0.75\n']));
    const c = await w.open({});
    const located = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { location: { address: '12 Mill Lane, Riverton RV1 2AB' } }), 200) as Case;
    expect(located).toMatchObject({ location: { address: '12 Mill Lane, Riverton RV1 2AB', lat: 0.25, lng: 0.75 }, ward: { id: ward } });
    const pinned = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { location: { address: 'By the bridge', lat: 5, lng: 5 } }), 200) as Case;
    expect(pinned).toMatchObject({ location: { lat: 5, lng: 5 }, ward: null });
    const unknown = ok(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { location: { address: 'Nowhere in particular' } }), 200) as Case;
    expect(unknown).toMatchObject({ location: { address: 'Nowhere in particular', lat: null, lng: null }, ward: null });
    refused(await w.caseworker.api('PATCH', `/api/v1/cases/${c.id}`, { location: { lat: 95, lng: 0 } }), 400, 'validation_failed', 'location.lat');
  });
});
