// The privacy-release signing page in the portal (/portal/<office>/release/<token>): English
// and Spanish, the office's branding, refusals in the resident's language saying what to do,
// another office's link, the old /release/<token> address sending browsers on, and the token
// masked in logs. What a signature records, hashes and stores, and the CSRF and cross-site
// refusals, are tested in referrals.releases.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrivacyRelease } from '../../../contract/referrals.js';
import { createTestApp, type TestContext } from '../../../test/harness.js';
import { maskPathTokens } from '../../app.js';
import { ok } from '../cases/cases.testkit.js';
import { openLink, pathOf, postForm, referralWorld, today } from '../referrals/referrals.testkit.js';
import { get, textOf } from './portal.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', PUBLIC_URL: 'https://civitas.example' });
});
afterAll(() => ctx.close());

const statusOf = async (w: Awaited<ReturnType<typeof referralWorld>>) =>
  (ok(await w.caseworker.api('GET', `/api/v1/cases/${w.kase.id}/referrals`), 200) as { releases: PrivacyRelease[] }).releases.map((r) => r.status);
const SPANISH = { 'accept-language': 'es-MX,es;q=0.9' };

describe('the signing page in the portal', () => {
  it('is served under the office address with its branding, in Spanish, and signs there, even with the public form off', async () => {
    const w = await referralWorld(ctx);
    ok(await w.admin.api('PATCH', '/api/v1/office', { branding: { primaryColor: '#2b8cc4' } }), 200);
    const created = await w.requestRelease();
    const path = pathOf(created.signingUrl);
    expect(path).toMatch(new RegExp(`^/portal/${w.office.slug}/release/[A-Za-z0-9_-]{43}$`));
    // The office's portal is off (no public form), its signing links still work.
    expect((await get(ctx, `/portal/${w.office.slug}`)).statusCode).toBe(404);

    const { res, browser } = await openLink(ctx, `${path}?lang=es`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toMatch(/^<!doctype html>\n<html lang="es">/);
    expect(res.body).not.toMatch(/<script/i);
    expect(res.body).toContain('--brand:#2b8cc4');
    expect(res.body).toContain(`<title>Dé su consentimiento para el caso ${w.kase.reference} – Test Office</title>`);
    const text = textOf(res.body);
    for (const words of ['Test Office le pide permiso para compartir su caso', 'La declaración que va a firmar', 'Su nombre completo', 'Fecha de hoy', 'He leído la declaración anterior y doy mi consentimiento.', 'Firmar y dar mi consentimiento']) expect(text).toContain(words);
    expect(res.body).toContain(`href="${path}?lang=en"`);
    const cookie = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('civitas_release_csrf='))!;
    expect(cookie).toMatch(new RegExp(`Path=/portal/${w.office.slug}/release/`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);

    // A problem is told in Spanish (usted), beside the field and in the summary, keeping what was typed.
    const wrong = await postForm(ctx, `${path}?lang=es`, browser, { typedName: 'Mallory Jones', signedDate: today(), consent: 'yes' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('<title>Error: Dé su consentimiento');
    expect(textOf(wrong.body)).toContain('Hay un problema');
    expect(textOf(wrong.body)).toContain('El nombre que ha escrito no coincide con el que tiene Test Office');
    expect(wrong.body).toContain('value="Mallory Jones"');
    expect(wrong.body).toContain('aria-invalid="true"');
    const noDate = await postForm(ctx, `${path}?lang=es`, browser, { typedName: w.person.displayName, signedDate: '06/12/2026', consent: 'yes' });
    expect([noDate.statusCode, textOf(noDate.body).includes('Escriba la fecha de hoy como año, mes y día, por ejemplo 2026-12-06')]).toEqual([422, true]);

    const again = await openLink(ctx, `${path}?lang=es`);
    const signed = await postForm(ctx, `${path}?lang=es`, again.browser, { typedName: w.person.displayName, signedDate: today(), consent: 'yes' });
    expect(signed.statusCode, signed.body).toBe(200);
    expect(textOf(signed.body)).toContain('Gracias: hemos registrado su consentimiento');
    expect(textOf(signed.body)).toContain(`Test Office tiene su consentimiento firmado para el caso ${w.kase.reference}`);
    expect(await statusOf(w)).toEqual(['signed']);
    // The used link says so in the browser's language, with nothing more to do.
    const used = await get(ctx, path, SPANISH);
    expect([used.statusCode, textOf(used.body).includes('Este formulario ya está firmado'), textOf(used.body).includes('No necesita hacer nada más')]).toEqual([410, true, true]);
  });

  it('refuses unknown, expired and revoked links, and another office\'s, with a page in the resident\'s language saying what to do', async () => {
    const w = await referralWorld(ctx);
    const other = await referralWorld(ctx);
    const unknown = await get(ctx, `/portal/${w.office.slug}/release/${'A'.repeat(43)}`, SPANISH);
    expect([unknown.statusCode, textOf(unknown.body).includes('Este enlace no es válido'), textOf(unknown.body).includes('pida uno nuevo a Test Office')]).toEqual([404, true, true]);
    expect((await get(ctx, `/portal/no-such-office/release/${'A'.repeat(43)}`)).statusCode).toBe(404);

    // Office A's link under office B's address is unknown there: nothing of A is shown, and a post signs nothing.
    const created = await w.requestRelease();
    const token = pathOf(created.signingUrl).split('/').pop()!;
    const elsewhere = await openLink(ctx, `/portal/${other.office.slug}/release/${token}`);
    expect([elsewhere.res.statusCode, elsewhere.browser]).toEqual([404, null]);
    expect(elsewhere.res.body).toContain('This link is not valid');
    expect(elsewhere.res.body).not.toContain(w.kase.reference);
    const { browser } = await openLink(ctx, pathOf(created.signingUrl));
    const post = await postForm(ctx, `/portal/${other.office.slug}/release/${token}`, browser, { typedName: w.person.displayName, signedDate: today(), consent: 'yes' });
    expect(post.statusCode).toBe(404);
    expect(await statusOf(w)).toEqual(['pending']);

    await ctx.database.db.updateTable('privacy_releases').set({ expires_at: new Date(Date.now() - 1000) }).where('office_id', '=', w.office.id).where('id', '=', created.release.id).execute();
    const expired = await get(ctx, pathOf(created.signingUrl), SPANISH);
    expect([expired.statusCode, textOf(expired.body).includes('Este enlace ha caducado'), textOf(expired.body).includes('Póngase en contacto con Test Office y pida un enlace nuevo')]).toEqual([410, true, true]);

    const revoking = await w.requestRelease();
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/privacy-releases/${revoking.release.id}/revoke`), 200);
    const revoked = await get(ctx, `${pathOf(revoking.signingUrl)}?lang=en`);
    expect([revoked.statusCode, textOf(revoked.body).includes('Test Office cancelled this signing link. If you still want to give your consent, contact Test Office.')]).toEqual([410, true]);
  });
});

describe('the old /release/<token> address', () => {
  it('sends a visit on to the portal address of the link\'s office, whatever the link\'s state, and a post to the page', async () => {
    const w = await referralWorld(ctx);
    const created = await w.requestRelease();
    const path = pathOf(created.signingUrl);
    const token = path.split('/').pop()!;
    const visit = await ctx.app.inject({ method: 'GET', url: `/release/${token}`, headers: { accept: 'text/html' } });
    expect([visit.statusCode, visit.headers.location]).toEqual([301, path]);
    const form = await ctx.app.inject({ method: 'POST', url: `/release/${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `typedName=${encodeURIComponent(w.person.displayName)}&signedDate=${today()}&consent=yes` });
    expect([form.statusCode, form.headers.location]).toEqual([303, path]);
    expect(await statusOf(w)).toEqual(['pending']);
    // Followed, it is the portal's page.
    expect((await get(ctx, String(visit.headers.location))).statusCode).toBe(200);
    ok(await w.caseworker.api('POST', `/api/v1/cases/${w.kase.id}/privacy-releases/${created.release.id}/revoke`), 200);
    expect((await ctx.app.inject({ method: 'GET', url: `/release/${token}` })).headers.location).toBe(path);
  });

  it('answers an unknown link with the portal\'s page in the browser\'s language', async () => {
    const es = await get(ctx, `/release/${'B'.repeat(43)}`, SPANISH);
    expect([es.statusCode, textOf(es.body).includes('Este enlace no es válido'), textOf(es.body).includes('pida uno nuevo a la oficina que le envió el enlace')]).toEqual([404, true, true]);
    expect(es.body).toMatch(/<html lang="es">/);
    const en = await get(ctx, '/release/short');
    expect([en.statusCode, en.body.includes('This link is not valid')]).toEqual([404, true]);
  });

  it('masks the token in logs at both addresses', () => {
    const token = 'C'.repeat(43);
    expect(maskPathTokens(`/portal/town-hall/release/${token}?lang=es`)).toBe('/portal/town-hall/release/[token]?lang=es');
    expect(maskPathTokens(`/release/${token}`)).toBe('/release/[token]');
  });
});
