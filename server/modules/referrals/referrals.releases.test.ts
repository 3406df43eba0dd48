// Privacy releases: the signing page in the portal (links that are unknown, expired, used or
// revoked, names that do not match, CSRF; its languages and old address in portal.release.test.ts), what a signature records and hashes, the PDF,
// verification (including a tampered row), paper uploads, and the emailed link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivacyRelease } from '../../../contract/referrals.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { ok, refused } from '../cases/cases.testkit.js';
import { contentHash, namesMatch } from './referrals.release-hash.js';
import { openLink, pathOf, postForm, referralWorld, signAs, today } from './referrals.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_URL: 'https://civitas.example' });
});
afterAll(() => ctx.close());

const releasesOf = async (w: Awaited<ReturnType<typeof referralWorld>>) =>
  (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/referrals`), 200) as { releases: PrivacyRelease[] }).releases;
const eventCount = async (officeId: string) => Number((await ctx.database.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

describe('name matching', () => {
  it('ignores case, accents, punctuation and spacing, and nothing else', () => {
    expect(namesMatch('  zoe   NUNEZ ', ['Zoë Núñez'])).toBe(true);
    expect(namesMatch("Mary-Jane O'Neil", ['mary jane oneil', 'Mary Jane O Neil'])).toBe(true);
    expect(namesMatch('Zoe Smith', ['Zoë Núñez'])).toBe(false);
    expect(namesMatch('', [''])).toBe(false);
  });
});

describe('signing electronically', () => {
  it('shows the consent form, signs once, records what was signed with its hash, stores a PDF, and refuses the reused link', async () => {
    const w = await referralWorld(ctx);
    const fed = await w.agency({ name: 'Department of Veterans Affairs' });
    const created = await w.requestRelease({ agencyId: fed.id });
    expect(created.signingUrl).toBe(`https://civitas.example/portal/${w.office.slug}/release/${created.signingUrl.split('/').pop()}`);
    expect(created.signingUrl).toMatch(/\/release\/[A-Za-z0-9_-]{43}$/);
    expect(created.release).toMatchObject({ status: 'pending', method: 'electronic', agency: { id: fed.id }, signedAt: null, document: null });
    // Only the token's hash is stored.
    const token = pathOf(created.signingUrl).split('/').pop()!;
    const stored = await ctx.database.db.selectFrom('privacy_releases').selectAll().where('office_id', '=', w.office.id).where('id', '=', created.release.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(token);

    const { res, browser } = await openLink(ctx, pathOf(created.signingUrl));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    for (const text of ['Test Office', w.kase.reference, 'Department of Veterans Affairs', '<label for="typedName">', 'name="consent"']) expect(res.body).toContain(text);
    expect(res.body).not.toContain('<script');
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i);

    const signed = await postForm(ctx, pathOf(created.signingUrl), browser, { typedName: `zoe ${w.person.familyName!.normalize('NFD').replace(/\p{M}/gu, '')}`, signedDate: today(), consent: 'yes' }, { 'x-forwarded-for': '203.0.113.9' });
    expect(signed.statusCode, signed.body).toBe(200);
    const [release] = await releasesOf(w);
    expect(release).toMatchObject({ status: 'signed', signedDate: today(), document: { type: 'application/pdf' } });
    expect(release!.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(signed.body).toContain(release!.contentHash!);
    const row = await ctx.database.db.selectFrom('privacy_releases').selectAll().where('office_id', '=', w.office.id).where('id', '=', release!.id).executeTakeFirstOrThrow();
    expect(row.content_hash).toBe(contentHash({
      caseReference: w.kase.reference, constituentId: w.person.id, consentText: row.consent_text!, typedName: row.typed_name!, signedDate: today(),
      ip: row.signer_ip!, userAgent: 'TestBrowser/1.0', signedAt: row.signed_at!.toISOString(),
    }));
    expect(row.consent_text).toContain('Department of Veterans Affairs');

    const pdf = await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/privacy-releases/${release!.id}/document`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const verified = ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/privacy-releases/${release!.id}/verify`), 200);
    expect(verified).toMatchObject({ hashMatches: true, documentMatches: true, storedHash: release!.contentHash, computedHash: release!.contentHash });

    // The link is single-use: a second visit and a second post both get "already signed", and write nothing.
    const before = await eventCount(w.office.id);
    const again = await openLink(ctx, pathOf(created.signingUrl));
    expect(again.res.statusCode).toBe(410);
    expect(again.res.body).toContain('This form is already signed');
    const replay = await postForm(ctx, pathOf(created.signingUrl), browser, { typedName: 'Zoë X', signedDate: today(), consent: 'yes' });
    expect(replay.statusCode).toBe(410);
    expect(await eventCount(w.office.id)).toBe(before);
    const timeline = (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/timeline?kind=referral`), 200) as { items: { action: string }[] }).items;
    expect(timeline.map((e) => e.action)).toEqual(['verified', 'signed', 'requested']);
  });

  it('reports a hash mismatch when a stored field was tampered with', async () => {
    const w = await referralWorld(ctx);
    const created = await w.requestRelease();
    await signAs(ctx, created.signingUrl, w.person.displayName);
    await ctx.database.db.updateTable('privacy_releases').set({ typed_name: 'Someone Else' }).where('office_id', '=', w.office.id).where('id', '=', created.release.id).execute();
    const v = ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/privacy-releases/${created.release.id}/verify`), 200) as { hashMatches: boolean; storedHash: string; computedHash: string; canonical: string };
    expect(v.hashMatches).toBe(false);
    expect(v.computedHash).not.toBe(v.storedHash);
    expect(v.canonical).toContain('"typedName":"Someone Else"');
  });

  it('refuses a name that does not match, keeping what was typed and writing nothing', async () => {
    const w = await referralWorld(ctx);
    const created = await w.requestRelease();
    const { browser } = await openLink(ctx, pathOf(created.signingUrl));
    const before = await eventCount(w.office.id);
    const wrong = await postForm(ctx, pathOf(created.signingUrl), browser, { typedName: 'Mallory Jones', signedDate: today(), consent: 'yes' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('does not match the name');
    expect(wrong.body).toContain('value="Mallory Jones"');
    expect(wrong.body).toContain('aria-invalid="true"');
    const noConsent = await postForm(ctx, pathOf(created.signingUrl), browser, { typedName: w.person.displayName, signedDate: today() });
    expect([noConsent.statusCode, noConsent.body.includes('Tick the box')]).toEqual([422, true]);
    const badDate = await postForm(ctx, pathOf(created.signingUrl), browser, { typedName: w.person.displayName, signedDate: '2001-01-01', consent: 'yes' });
    expect([badDate.statusCode, badDate.body.includes('Enter today&#x27;s date')]).toEqual([422, true]);
    expect(await eventCount(w.office.id)).toBe(before);
    expect((await releasesOf(w))[0]!.status).toBe('pending');
  });

  it('refuses posts without the CSRF cookie and field, or sent from another site (Sec-Fetch-Site or Origin)', async () => {
    const w = await referralWorld(ctx);
    const created = await w.requestRelease();
    const path = pathOf(created.signingUrl);
    const { browser } = await openLink(ctx, path);
    const fields = { typedName: w.person.displayName, signedDate: today(), consent: 'yes' };
    // Without the pair: a page in the resident's language offering the form again.
    const noPair = await postForm(ctx, `${path}?lang=es`, null, fields);
    expect([noPair.statusCode, noPair.body.includes('Vuelva a firmar, por favor')]).toEqual([403, true]);
    expect(noPair.body).toContain(`<a href="${path}?lang=es">Abrir de nuevo el formulario</a>`);
    expect((await postForm(ctx, path, { cookie: browser!.cookie, csrf: 'forged' }, fields)).statusCode).toBe(403);
    expect((await postForm(ctx, path, browser, fields, { 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    const foreign = await postForm(ctx, path, browser, fields, { origin: 'https://attacker.example' });
    expect([foreign.statusCode, foreign.body.includes('This form cannot be accepted')]).toEqual([403, true]);
    expect((await releasesOf(w))[0]!.status).toBe('pending');
  });

  it('answers unknown links 404 and expired or revoked ones 410, with a page saying what to do', async () => {
    const w = await referralWorld(ctx);
    const unknown = await openLink(ctx, `/release/${'A'.repeat(43)}`);
    expect([unknown.res.statusCode, unknown.res.body.includes('not valid')]).toEqual([404, true]);
    expect((await openLink(ctx, '/release/short')).res.statusCode).toBe(404);

    const expiring = await w.requestRelease();
    const { browser } = await openLink(ctx, pathOf(expiring.signingUrl));
    await ctx.database.db.updateTable('privacy_releases').set({ expires_at: new Date(Date.now() - 1000) }).where('office_id', '=', w.office.id).where('id', '=', expiring.release.id).execute();
    const expired = await openLink(ctx, pathOf(expiring.signingUrl));
    expect([expired.res.statusCode, expired.res.body.includes('expired')]).toEqual([410, true]);
    const late = await postForm(ctx, pathOf(expiring.signingUrl), browser, { typedName: w.person.displayName, signedDate: today(), consent: 'yes' });
    expect(late.statusCode).toBe(410);
    expect(expired.res.body).toContain('ask for a new link');

    const revoking = await w.requestRelease();
    const revoked = ok(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/privacy-releases/${revoking.release.id}/revoke`), 200) as PrivacyRelease;
    expect(revoked.status).toBe('revoked');
    refused(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/privacy-releases/${revoking.release.id}/revoke`), 409, 'conflict');
    const gone = await openLink(ctx, pathOf(revoking.signingUrl));
    expect([gone.res.statusCode, gone.res.body.includes('cancelled')]).toEqual([410, true]);
    expect((await releasesOf(w)).map((r) => r.status).sort()).toEqual(['expired', 'revoked']);
  });

  it('emails the link through the outbox when the person has an address, and uses the office consent text and expiry', async () => {
    const w = await referralWorld(ctx, { email: 'zoe@example.test' });
    ok(await w.manager.api('PUT', '/api/v1/privacy-release-settings', { consentText: 'I, {name}, let {office} share case {case} with {agency}.', linkExpiryDays: 3 }), 200);
    const created = await w.requestRelease();
    expect(created.emailed).toBe(true);
    expect(Date.parse(created.release.expiresAt!) - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    expect(Date.parse(created.release.expiresAt!) - Date.now()).toBeLessThan(3 * 86_400_000 + 60_000);
    const msg = await ctx.database.db.selectFrom('outbound_messages').selectAll().where('office_id', '=', w.office.id).where('case_id', '=', w.kase.id).executeTakeFirstOrThrow() as Record<string, unknown>;
    expect(JSON.stringify(msg)).toContain(created.signingUrl);
    const page = await openLink(ctx, pathOf(created.signingUrl));
    expect(page.res.body).toContain(`let Test Office share case ${w.kase.reference} with the government agencies`);
    refused(await w.caseworker.api('PUT', '/api/v1/privacy-release-settings', { linkExpiryDays: 3 }), 403, 'forbidden');
    refused(await w.manager.api('PUT', '/api/v1/privacy-release-settings', { linkExpiryDays: 365 }), 400, 'validation_failed', 'linkExpiryDays');
  });
});

describe('paper releases', () => {
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const upload = (w: Awaited<ReturnType<typeof referralWorld>> & { caseworkerToken: string }, body: Buffer, type: string, query = `constituentId=${w.person.id}&fileName=signed-form.pdf`) =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${w.kase.id}/privacy-releases/paper?${query}`, headers: { 'content-type': type, ...tokenHeader(w) }, payload: body });
  const tokenHeader = (w: { caseworkerToken: string }) => ({ authorization: `Bearer ${w.caseworkerToken}` });

  it('records a scanned form as a signed release that lets a referral be sent, and serves it back', async () => {
    const w = await withToken(await referralWorld(ctx));
    const fed = await w.agency();
    const r = await w.draft(fed.id);
    const res = await upload(w, PDF, 'application/pdf');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ method: 'paper', status: 'signed', document: { name: 'signed-form.pdf', type: 'application/pdf', size: PDF.length } });
    ok(await w.caseworker.api('POST', `/api/v1/referrals/${r.id}/send`, {}), 200);
    // a real scan is larger than the API's default JSON body limit
    const big = Buffer.concat([PDF, Buffer.alloc(3 * 2 ** 20, 0x20)]);
    expect(ok(await upload(w, big, 'application/pdf'), 201)).toMatchObject({ document: { size: big.length } });
    const doc = await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/privacy-releases/${res.json().id}/document`);
    expect([doc.statusCode, doc.rawPayload.equals(PDF)]).toEqual([200, true]);
    expect(ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/privacy-releases/${res.json().id}/verify`), 200)).toMatchObject({ method: 'paper', hashMatches: null, documentMatches: true });
  });

  it('refuses oversize, wrong-type and disguised files, and people not on the case, storing nothing', async () => {
    const w = await withToken(await referralWorld(ctx));
    refused(await upload(w, Buffer.alloc(10 * 2 ** 20 + 1, 0x25), 'application/pdf'), 413, 'payload_too_large');
    refused(await upload(w, Buffer.from('hello'), 'text/plain'), 415, 'unsupported_media_type');
    refused(await upload(w, Buffer.from('GIF89a'), 'image/gif'), 415, 'unsupported_media_type');
    refused(await upload(w, Buffer.from('<html>not a pdf</html>'), 'application/pdf'), 415, 'unsupported_media_type', 'file');
    const outsider = (await referralWorld(ctx)).person.id;
    refused(await upload(w, PDF, 'application/pdf', `constituentId=${outsider}`), 400, 'validation_failed', 'constituentId');
    refused(await upload(w, PDF, 'application/pdf', 'fileName=x.pdf'), 400, 'validation_failed');
    expect(await releasesOf(w)).toEqual([]);
  });
});

async function withToken<T extends Awaited<ReturnType<typeof referralWorld>>>(w: T): Promise<T & { caseworkerToken: string }> {
  const { tokenFor } = await import('../../../test/harness.js');
  const { permissionsOf } = await import('../../platform/rbac.js');
  return { ...w, caseworkerToken: await tokenFor(ctx, w.caseworker.user, [...permissionsOf('caseworker')]) };
}
