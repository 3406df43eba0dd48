// Agencies and referrals: the directory, drafting and sending (blocked without the
// requester's privacy release when the agency or the category requires one), follow-ups
// and the agency's reply, closing, the overdue filter, the timeline and office boundaries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import type { Agency, Referral } from '../../../contract/referrals.js';
import { createConstituent, createTestApp, type TestContext } from '../../../test/harness.js';
import { ok, refused } from '../cases/cases.testkit.js';
import { referralWorld, signAs } from './referrals.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => ctx.close());

describe('the agency directory', () => {
  it('adds agencies (federal ones need a release by default), edits and retires them; names are unique among live ones', async () => {
    const w = await referralWorld(ctx);
    const fed = await w.agency({ name: 'Social Security Administration', kind: 'federal', email: 'Field.Office@SSA.example' });
    const council = await w.agency({ name: 'Highways department', kind: 'internal' });
    expect([fed.requiresPrivacyRelease, fed.email, council.requiresPrivacyRelease]).toEqual([true, 'field.office@ssa.example', false]);
    refused(await w.manager.api('POST', '/api/v1/agencies', { name: 'social security administration', kind: 'state' }), 409, 'conflict', 'name');
    refused(await w.manager.api('POST', '/api/v1/agencies', { name: 'X', kind: 'county' }), 400, 'validation_failed', 'kind');
    const edited = ok(await w.manager.api('PATCH', `/api/v1/agencies/${council.id}`, { requiresPrivacyRelease: true, contactName: 'Pat Lee' }), 200) as Agency;
    expect([edited.requiresPrivacyRelease, edited.contactName]).toEqual([true, 'Pat Lee']);
    ok(await w.manager.api('PATCH', `/api/v1/agencies/${fed.id}`, { retired: true }), 200);
    const live = (ok(await w.caseworker.api('GET', '/api/v1/agencies'), 200) as { items: Agency[] }).items;
    expect(live.map((a) => a.name)).toEqual(['Highways department']);
    // the retired name is free again
    await w.agency({ name: 'Social Security Administration' });
    // a retired agency takes no new referrals
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/referrals`, { agencyId: fed.id, summary: 'x' }), 400, 'validation_failed', 'agencyId');
  });

  it('lets only casework configurers change the directory', async () => {
    const w = await referralWorld(ctx);
    refused(await w.caseworker.api('POST', '/api/v1/agencies', { name: 'Nope', kind: 'local' }), 403, 'forbidden');
    const a = await w.agency();
    refused(await w.caseworker.api('PATCH', `/api/v1/agencies/${a.id}`, { name: 'Nope' }), 403, 'forbidden');
    expect((ok(await w.analyst.api('GET', '/api/v1/agencies'), 200) as { items: Agency[] }).items).toHaveLength(1);
  });
});

describe('sending a referral', () => {
  it('refuses to send to an agency that requires a release until the requester has signed one, then sends', async () => {
    const w = await referralWorld(ctx);
    const fed = await w.agency({ kind: 'federal' });
    const r = await w.draft(fed.id, { expectedResponseOn: '2099-01-31' });
    expect(r).toMatchObject({ status: 'draft', contact: null, agency: { id: fed.id, requiresPrivacyRelease: true }, isOverdue: false });
    const problem = refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'privacy_release_required');
    expect(problem).toMatchObject({ reason: 'privacy_release_required' });
    expect(problem.detail).toContain(fed.name);
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/referrals`), 200) as { referrals: Referral[] }).referrals[0]).toMatchObject({ status: 'draft', sentAt: null });
    // A pending (unsigned) request is not enough.
    const req = await w.requestRelease({ agencyId: fed.id });
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'privacy_release_required');
    await signAs(ctx, req.signingUrl, w.person.displayName.toUpperCase());
    const sent = ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, { theirReference: 'SSA-77' }), 200) as Referral;
    expect(sent).toMatchObject({ status: 'sent', theirReference: 'SSA-77', expectedResponseOn: '2099-01-31' });
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'conflict');
  });

  it("does not accept a release that names another agency, or another person's release", async () => {
    const w = await referralWorld(ctx);
    const [fed, other] = [await w.agency(), await w.agency()];
    const r = await w.draft(fed.id);
    await signAs(ctx, (await w.requestRelease({ agencyId: other.id })).signingUrl, w.person.displayName);
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'privacy_release_required');
    // someone else on the case (not the requester) signing does not count either
    const helper = await createConstituent(ctx, w.office, { givenName: 'Hal', familyName: 'Helper' });
    ok(await w.caseworker.api('PUT', `/api/v1/cases/${w.kase.id}/constituents`, { constituents: [{ constituentId: w.person.id, role: 'requester' }, { constituentId: helper.id, role: 'representative' }] }), 200);
    await signAs(ctx, (await w.requestRelease({ constituentId: helper.id, agencyId: fed.id })).signingUrl, 'Hal Helper');
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'privacy_release_required');
    // and a person who is not on the case cannot be asked at all
    const stranger = await createConstituent(ctx, w.office);
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/privacy-releases`, { constituentId: stranger.id }), 400, 'validation_failed', 'constituentId');
  });

  it("needs a release when the case's category requires one, even for an agency that does not", async () => {
    const w = await referralWorld(ctx);
    const cat = ok(await w.manager.api('POST', '/api/v1/case-categories', { name: 'Immigration', requiresPrivacyRelease: true }), 201) as { id: string; requiresPrivacyRelease: boolean };
    expect(cat.requiresPrivacyRelease).toBe(true);
    const local = await w.agency({ kind: 'local' });
    expect(local.requiresPrivacyRelease).toBe(false);
    const plain = await w.draft(local.id);
    ok(await w.caseworker.api('POST', `/api/v1/referrals/${plain.id}/send`, {}), 200);
    ok(await w.caseworker.api('PATCH', `/api/v1/cases/${w.kase.id}`, { categoryId: cat.id }), 200);
    const r = await w.draft(local.id);
    const problem = refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 409, 'privacy_release_required');
    expect(problem.detail).toMatch(/category/);
    const view = ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/referrals`), 200) as { categoryRequiresRelease: boolean; requester: { id: string } };
    expect(view).toMatchObject({ categoryRequiresRelease: true, requester: { id: w.person.id } });
  });

  it('refuses a referral to an agency of another office, writing nothing', async () => {
    const [w, other] = [await referralWorld(ctx), await referralWorld(ctx)];
    const theirs = await other.agency();
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/referrals`, { agencyId: theirs.id, summary: 'x' }), 400, 'validation_failed', 'agencyId');
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/referrals`), 200) as { referrals: Referral[] }).referrals).toEqual([]);
  });
});

describe('follow-ups, replies and closing', () => {
  it("logs chases and the agency's reply (which marks it responded), closes, and puts it all on the case timeline", async () => {
    const w = await referralWorld(ctx);
    const local = await w.agency({ kind: 'local', contactName: 'Sam Reed' });
    const r = await w.draft(local.id);
    expect(r.contact).toBe('Sam Reed');
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'chased', occurredOn: '2026-01-05' }), 409, 'conflict', 'kind');
    ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, { sentAt: '2026-01-02T10:00:00Z' }), 200);
    ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'chased', occurredOn: '2026-01-09', body: 'Phoned, no answer' }), 200);
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'agency_replied', occurredOn: '2026-01-12' }), 400, 'validation_failed', 'body');
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'chased', occurredOn: '2999-01-01' }), 400, 'validation_failed', 'occurredOn');
    const replied = ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'agency_replied', occurredOn: '2026-01-12', body: 'Repair booked for 20 January.' }), 200) as Referral;
    expect(replied.status).toBe('responded');
    expect(replied.followUps.map((f) => [f.kind, f.occurredOn, f.body])).toEqual([['chased', '2026-01-09', 'Phoned, no answer'], ['agency_replied', '2026-01-12', 'Repair booked for 20 January.']]);
    const closed = ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/close`, { comment: 'Done' }), 200) as Referral;
    expect(closed.status).toBe('closed');
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/follow-ups`, { kind: 'note', occurredOn: '2026-01-13' }), 409, 'conflict');
    const timeline = (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/timeline?kind=referral`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline.map((e) => e.action)).toEqual(['closed', 'agency_replied', 'chased', 'sent', 'created']);
    expect(timeline[1]!.summary).toContain('Repair booked');
  });

  it("answers 404 to a follow-up on another office's referral, and changes nothing there", async () => {
    const [w, other] = [await referralWorld(ctx), await referralWorld(ctx)];
    const theirs = await other.draft((await other.agency({ kind: 'local' })).id);
    for (const [url, body] of [[`/api/v1/referrals/${theirs.id}/follow-ups`, { kind: 'note', occurredOn: '2026-01-01', body: 'hijack' }], [`/api/v1/referrals/${theirs.id}/send`, {}], [`/api/v1/referrals/${theirs.id}/close`, {}]] as const) {
      refused(await w.admin.api('POST', url, body), 404, 'not_found');
    }
    refused(await w.admin.api('PATCH', `/api/v1/referrals/${theirs.id}`, { summary: 'hijacked' }), 404, 'not_found');
    const still = (ok(await other.caseworker.api('GET', `/api/v1/cases/${other.kase.id}/referrals`), 200) as { referrals: Referral[] }).referrals[0]!;
    expect([still.status, still.summary, still.followUps]).toEqual(['draft', 'Asked about the benefit claim', []]);
  });
});

describe('the referral list', () => {
  it('filters overdue referrals: sent, no reply, expected date passed', async () => {
    const w = await referralWorld(ctx);
    const local = await w.agency({ kind: 'local' });
    const send = async (expectedResponseOn: string | null) => {
      const r = await w.draft(local.id, { expectedResponseOn });
      return ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 200) as Referral;
    };
    const late = await send('2020-03-01');
    const future = await send('2099-03-01');
    const answered = await send('2020-03-01');
    ok(await w.caseworker.api('POST', `/api/v1/referrals/${answered.id}/follow-ups`, { kind: 'agency_replied', occurredOn: '2026-01-01', body: 'Done' }), 200);
    await w.draft(local.id, { expectedResponseOn: '2020-01-01' }); // a draft is never overdue
    const overdue = (ok(await w.caseworker.api('GET', '/api/v1/referrals?overdue=true'), 200) as { items: Referral[] }).items;
    expect(overdue.map((r) => r.id)).toEqual([late.id]);
    expect(overdue[0]).toMatchObject({ isOverdue: true, caseReference: w.kase.reference });
    const all = (ok(await w.caseworker.api('GET', '/api/v1/referrals?limit=2'), 200) as { items: Referral[]; nextCursor: string }).items;
    expect(all).toHaveLength(2);
    expect((ok(await w.caseworker.api('GET', `/api/v1/referrals?status=sent&agency=${local.id}`), 200) as { items: Referral[] }).items.map((r) => r.id).sort()).toEqual([late.id, future.id].sort());
    refused(await w.caseworker.api('GET', '/api/v1/referrals?overdue=maybe'), 400, 'validation_failed');
  });

  it('leaves referrals on sensitive cases out for staff who may not see them', async () => {
    const w = await referralWorld(ctx);
    const local = await w.agency({ kind: 'local' });
    const secret = await w.open({ isSensitive: true, constituents: [{ constituentId: w.person.id }] });
    const r = ok(await w.manager.api('POST', `/api/v1/cases/${secret.id}/referrals`, { agencyId: local.id, summary: 'Private' }), 201) as Referral;
    expect((ok(await w.caseworker.api('GET', '/api/v1/referrals'), 200) as { items: Referral[] }).items.map((x) => x.id)).not.toContain(r.id);
    expect((ok(await w.manager.api('GET', '/api/v1/referrals'), 200) as { items: Referral[] }).items.map((x) => x.id)).toContain(r.id);
    refused(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/close`, {}), 404, 'not_found');
  });
});
