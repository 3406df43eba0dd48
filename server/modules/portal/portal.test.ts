// The resident portal through HTTP: the pages and their shell in English and Spanish, the
// report journey into a case through intake (consent in the ledger, preferences, anonymity),
// the confirmation and tracking pages, lookups by reference and email or phone, comments on
// the case's timeline, bad input of every kind shown back in the resident's language, HTML
// shown as text, forged, expired and other offices' links, and resubmits storing nothing twice.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { maskPathTokens } from '../../app.js';
import { ok, squareWard } from '../cases/cases.testkit.js';
import { issueTrackingToken, TRACKING_MAX_AGE_DAYS } from '../intake/intake.form-token.js';
import { aged, get, portalOffice, postForm, redirected, report, reportFields, textOf } from './portal.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000' });
});
afterAll(() => ctx.close());

const count = async (table: 'inbound_items' | 'cases', officeId: string) =>
  Number((await ctx.database.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

const caseByReference = async (officeId: string, reference: string) =>
  ctx.database.db.selectFrom('cases').selectAll().where('office_id', '=', officeId).where('reference', '=', reference).executeTakeFirstOrThrow();

const referenceIn = (html: string) => /C-\d{4}-\d{5,}/.exec(html)?.[0];

describe('the pages', () => {
  it('serves the home page in English with the shell: lang, skip link, office, language links, stylesheet, no script', async () => {
    const w = await portalOffice(ctx);
    ok(await w.admin.api('PATCH', '/api/v1/office', { branding: { primaryColor: '#ffdd00', logoUrl: 'https://example.org/logo.png' } }), 200);
    const res = await get(ctx, `/portal/${w.slug}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-store');
    // Referrers (tracking links hold a token) go to our own pages only.
    expect(res.headers['referrer-policy']).toBe('same-origin');
    expect(res.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(res.body).toContain('<a class="skip-link" href="#main">Skip to main content</a>');
    expect(res.body).toContain('<main id="main"');
    expect(res.body).toContain(`alt="${w.office.name} logo"`);
    expect(res.body).toContain('<a href="?lang=es"'.replace('?', `/portal/${w.slug}?`));
    expect(res.body).toMatch(/hrefLang="es" lang="es">Español<\/a>|hreflang="es" lang="es">Español<\/a>/i);
    expect(res.body).toMatch(/lang="en" aria-current="true">English/);
    // A light brand colour gets dark text (AA contrast), set as the stylesheet's variables.
    expect(res.body).toContain('--brand:#ffdd00;--on-brand:#000000');
    expect(res.body).toContain('Report a problem or ask for help');
    expect(res.body).not.toMatch(/<script/i);
    const css = await get(ctx, '/portal/portal.css');
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain(':focus');
  });

  it('serves the home page in Spanish with ?lang=es, and remembers the choice in a cookie for /portal', async () => {
    const w = await portalOffice(ctx);
    const res = await get(ctx, `/portal/${w.slug}?lang=es`);
    expect(res.body).toMatch(/<html lang="es">/);
    expect(res.body).toContain('¿En qué podemos ayudarle?');
    expect(res.body).toMatch(/lang="es" aria-current="true">Español/);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^civitas_lang=es;/);
    expect(cookie).toMatch(/Path=\/portal/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('answers 404 pages for an unknown office and for an office whose public form is off', async () => {
    const w = await portalOffice(ctx);
    ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: false, categoryIds: null }), 200);
    for (const url of [`/portal/${w.slug}`, `/portal/${w.slug}/report`, `/portal/${uniq('none')}`, '/portal/NOT_A_SLUG']) {
      const res = await get(ctx, url, { 'accept-language': 'es' });
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Página no encontrada');
    }
  });

  it('offers the public form\'s categories on the report form, with labelled fields and the privacy text', async () => {
    const w = await portalOffice(ctx);
    const other = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Bins') }), 201) as { id: string; name: string };
    ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: [other.id] }), 200);
    ok(await w.admin.api('PATCH', '/api/v1/office', { branding: { privacyNotice: 'We keep your details for two years.' } }), 200);
    const topics = await get(ctx, `/portal/${w.slug}/report`);
    expect(topics.statusCode).toBe(200);
    expect(topics.body).toContain(`category=${other.id}">${other.name}</a>`);
    expect(topics.body).not.toContain(w.category.name);
    const res = await get(ctx, `/portal/${w.slug}/report?category=${other.id}&step=details`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<input type="hidden" name="categoryId" value="${other.id}"/>`);
    for (const id of ['description', 'address', 'name', 'email', 'phone', 'consent', 'anonymous']) expect(res.body).toContain(`for="${id}"`);
    expect(res.body).toContain('We keep your details for two years.');
    expect(res.body).toMatch(/name="clientToken" value="[\w-]{36}"/);
  });
});

describe('reporting a problem', () => {
  it('files the report as a case through intake, records consent and preferences, and shows the reference and tracking link', async () => {
    const w = await portalOffice(ctx);
    const fields = await reportFields(ctx, w.office.id, { categoryId: w.category.id, preferredChannel: 'email' });
    const { page, trackPath } = await report(ctx, w.slug, fields);
    const reference = referenceIn(page.body)!;
    expect(page.body).toContain('Thank you: we have your request');
    expect(page.body).toContain(`<p class="reference">${reference}</p>`);
    expect(trackPath).toMatch(new RegExp(`^/portal/${w.slug}/track/[\\w-]{51}$`));
    const kase = await caseByReference(w.office.id, reference);
    expect(kase).toMatchObject({ channel: 'web', category_id: w.category.id, description: fields.description, address: '12 Mill Lane' });
    const item = await ctx.database.db.selectFrom('inbound_items').selectAll().where('office_id', '=', w.office.id).where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ channel: 'web', idempotency_key: fields.clientToken, status: 'filed' });
    const consents = ok(await w.admin.api('GET', `/api/v1/constituents/${item.constituent_id}/consents`), 200) as { history: { channel: string; purpose: string; status: string; source: string; evidence: string }[] };
    expect(consents.history).toEqual([expect.objectContaining({ channel: 'email', purpose: 'casework', status: 'granted', source: 'portal' })]);
    expect(consents.history[0]!.evidence).toContain(`I agree that ${w.office.name} may contact me about this request`);
    const person = await ctx.database.db.selectFrom('constituents').selectAll().where('office_id', '=', w.office.id).where('id', '=', item.constituent_id!).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ preferred_channel: 'email', preferred_language: 'en', provisional: true });

    const tracking = await get(ctx, trackPath);
    expect(tracking.statusCode).toBe(200);
    const text = textOf(tracking.body);
    expect(text).toContain(`Your request ${reference}`);
    expect(text).toContain(w.category.name);
    expect(text).toContain('Received');
    expect(text).toContain('12 Mill Lane');
    expect(text).toContain('Sent by Grace Hopper');
    expect(text).toContain('Request received');
    expect(text).toContain('1 update');
  });

  it('runs the whole journey in Spanish: form, errors, confirmation, tracking and the record\'s language', async () => {
    const w = await portalOffice(ctx);
    const form = await get(ctx, `/portal/${w.slug}/report?lang=es&category=other&step=details`);
    expect(form.body).toContain('Informar de un problema o pedir ayuda');
    expect(form.body).toContain(`action="/portal/${w.slug}/report?lang=es"`);
    const bad = await postForm(ctx, `/portal/${w.slug}/report?lang=es`, await reportFields(ctx, w.office.id, { name: '' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Hay un problema');
    expect(bad.body).toContain('Escriba su nombre');
    const phone = '+447700900123';
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { email: '', phone, preferredChannel: 'sms' }), 'es');
    expect(page.body).toContain('Gracias: hemos recibido su solicitud');
    const tracking = await get(ctx, `${trackPath}?lang=es`);
    expect(tracking.body).toMatch(/<html lang="es">/);
    expect(textOf(tracking.body)).toContain('Recibida');
    expect(textOf(tracking.body)).toContain('1 novedad');
    const item = await ctx.database.db.selectFrom('inbound_items').selectAll().where('office_id', '=', w.office.id).where('sender_address', '=', phone).executeTakeFirstOrThrow();
    const person = await ctx.database.db.selectFrom('constituents').selectAll().where('office_id', '=', w.office.id).where('id', '=', item.constituent_id!).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ preferred_channel: 'sms', preferred_language: 'es' });
  });

  it('stores a resubmit with the same clientToken once, and answers it with the same request', async () => {
    const w = await portalOffice(ctx);
    const fields = await reportFields(ctx, w.office.id);
    const first = redirected(await postForm(ctx, `/portal/${w.slug}/report`, fields));
    const second = redirected(await postForm(ctx, `/portal/${w.slug}/report`, fields));
    expect(await count('inbound_items', w.office.id)).toBe(1);
    expect(await count('cases', w.office.id)).toBe(1);
    expect(referenceIn((await get(ctx, second)).body)).toBe(referenceIn((await get(ctx, first)).body));
    // The same token with other details is refused, and the form comes back with a fresh token.
    const changed = await postForm(ctx, `/portal/${w.slug}/report`, { ...fields, description: 'Something else entirely' });
    expect(changed.statusCode).toBe(400);
    expect(changed.body).toContain('This form was already sent with different details');
    expect(changed.body).not.toContain(`value="${fields.clientToken}"`);
    expect(await count('inbound_items', w.office.id)).toBe(1);
  });

  it('stores a honeypot catch as spam, never a case, and still answers with a page that looks accepted', async () => {
    const w = await portalOffice(ctx);
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { website: 'http://spam.example' }));
    expect(page.body).toContain('We have received your request');
    expect(await count('cases', w.office.id)).toBe(0);
    expect(textOf((await get(ctx, trackPath)).body)).toContain('Received');
  });
});

describe('bad input on the report form', () => {
  it('lists every missing field at the top, links each to its field, marks the fields and keeps what was typed', async () => {
    const w = await portalOffice(ctx);
    const res = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { name: '', email: '', description: '', consent: '', address: 'Corner of Mill Lane' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('<title>Error: Report a problem or ask for help');
    const summary = /<div class="error-summary" role="alert"[^]*?<\/div>/.exec(res.body)![0];
    for (const [field, message] of [['name', 'Enter your name'], ['email', 'Enter an email address or a phone number so that we can reply'], ['description', 'Describe the problem or what you need'], ['consent', 'Tick the box to agree']]) {
      expect(summary).toContain(`<a href="#${field}">${message}`);
      expect(res.body).toMatch(new RegExp(`id="${field}"[^>]*aria-describedby="[^"]*${field}-error"[^>]*aria-invalid="true"`));
    }
    expect(res.body).toContain('value="Corner of Mill Lane"');
    expect(await count('inbound_items', w.office.id)).toBe(0);
  });

  it('refuses an invalid email, a too-long description, an unknown category and a bad phone, saying what to do', async () => {
    const w = await portalOffice(ctx);
    const cases: [Record<string, string>, string, string][] = [
      [{ email: 'not-an-email' }, 'email', 'Enter an email address in the right format'],
      [{ description: 'x'.repeat(5001) }, 'description', 'Shorten this to 5,000 characters or fewer'],
      [{ categoryId: '00000000-0000-4000-8000-000000000000' }, 'categoryId', 'Choose a topic from the list'],
      [{ email: '', phone: '12' }, 'phone', 'Enter a phone number we can reach you on'],
      [{ preferredChannel: 'sms' }, 'preferredChannel', 'Enter a mobile number to hear from us by text message'],
      [{ lat: '91', lng: '0' }, 'address', 'The place marked on the map could not be read'],
    ];
    for (const [overrides, field, message] of cases) {
      const res = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, overrides));
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(res.body).toContain(`<a href="#${field}">${message}`);
    }
    // Spanish wording for the same problem.
    const es = await postForm(ctx, `/portal/${w.slug}/report?lang=es`, await reportFields(ctx, w.office.id, { description: 'x'.repeat(5001) }));
    expect(es.body).toContain('Acórtelo a 5000 caracteres como máximo');
    expect(await count('inbound_items', w.office.id)).toBe(0);
  });

  it('refuses a point outside the office\'s wards, and takes one inside them', async () => {
    const w = await portalOffice(ctx);
    await squareWard(w.admin);
    const outside = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { lat: '5', lng: '5' }));
    expect(outside.statusCode).toBe(400);
    expect(outside.body).toContain('The place you marked is outside the area');
    expect(outside.body).not.toContain('name="lat"');
    expect(await count('inbound_items', w.office.id)).toBe(0);
    const { page } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { lat: '0.5', lng: '0.5' }));
    const kase = await caseByReference(w.office.id, referenceIn(page.body)!);
    expect([kase.lat, kase.lng]).toEqual([0.5, 0.5]);
  });

  it('refuses a form sent too quickly or with a forged form token, showing the form again to send', async () => {
    const w = await portalOffice(ctx);
    for (const formToken of ['1.forged', `${Date.now()}.${'a'.repeat(43)}`]) {
      const res = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { formToken }));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('We could not check the form. Please send it again');
    }
    expect(await count('inbound_items', w.office.id)).toBe(0);
  });

  it('shows HTML and script typed into every field as text, on the form again and on the tracking page', async () => {
    const w = await portalOffice(ctx);
    const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const again = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id, { name: `N${evil}`, address: `A${evil}`, description: `D${evil}`, email: `${evil}@x` }));
    expect(again.statusCode).toBe(400);
    expect(again.body).not.toContain('<script>alert');
    expect(again.body).not.toContain('<img src=x');
    expect(again.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const { trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { name: `N${evil}`, address: `A${evil}`, description: `D${evil}` }));
    const page = await get(ctx, trackPath);
    expect(page.body).not.toContain('<script>alert');
    expect(page.body).not.toContain('<img src=x');
    expect(textOf(page.body)).toContain(`A${evil}`);
    expect(textOf(page.body)).toContain(`N${evil}`);
  });

  it('refuses a post from another site (Origin) with a page, storing nothing', async () => {
    const w = await portalOffice(ctx);
    const res = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id), { origin: 'https://evil.example' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('The form was sent from another website');
    expect(await count('inbound_items', w.office.id)).toBe(0);
    const same = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id), { origin: ctx.config.publicUrl });
    expect(same.statusCode).toBe(303);
    // A browser withholding the origin (Origin: null) is left to the form token.
    const withheld = await postForm(ctx, `/portal/${w.slug}/report`, await reportFields(ctx, w.office.id), { origin: 'null' });
    expect(withheld.statusCode).toBe(303);
  });
});

describe('tracking', () => {
  it('shows status changes, the expected date and the resolution, never staff notes, the assignee or the requester\'s name when private', async () => {
    const w = await portalOffice(ctx);
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { anonymous: 'yes', name: 'Secret Person' }));
    const kase = await caseByReference(w.office.id, referenceIn(page.body)!);
    ok(await w.admin.api('POST', `/api/v1/cases/${kase.id}/notes`, { body: 'Internal: the resident is difficult' }), 201);
    ok(await w.admin.api('POST', `/api/v1/cases/${kase.id}/assign`, { assigneeId: w.caseworker.user.id }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${kase.id}/status`, { status: 'open', comment: 'Staff-only comment' }), 200);
    const due = new Date('2031-03-04T12:00:00Z');
    await ctx.database.db.updateTable('cases').set({ resolution_due_at: due }).where('office_id', '=', w.office.id).where('id', '=', kase.id).execute();
    let text = textOf((await get(ctx, trackPath)).body);
    expect(text).toContain('In progress');
    expect(text).toContain('Status changed to: In progress');
    expect(text).toContain('March 4, 2031');
    for (const secret of ['Secret Person', 'Internal: the resident is difficult', 'Staff-only comment', w.caseworker.user.email]) expect(text).not.toContain(secret);
    ok(await w.admin.api('POST', `/api/v1/cases/${kase.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled the pothole' }), 200);
    text = textOf((await get(ctx, `${trackPath}?lang=es`)).body);
    expect(text).toContain('Resuelta');
    expect(text).toContain('Filled the pothole');
    expect(text).not.toContain('2031');
    expect(text).toContain('3 novedades');
  });

  it('shows only the reference and status of a sensitive case', async () => {
    const w = await portalOffice(ctx);
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { description: 'About my benefits claim' }));
    const reference = referenceIn(page.body)!;
    const kase = await caseByReference(w.office.id, reference);
    await ctx.database.db.updateTable('cases').set({ is_sensitive: true }).where('office_id', '=', w.office.id).where('id', '=', kase.id).execute();
    const text = textOf((await get(ctx, trackPath)).body);
    expect(text).toContain(reference);
    expect(text).toContain('Received');
    expect(text).toContain('shows only the reference and status');
    for (const hidden of ['12 Mill Lane', 'Grace Hopper', 'Request received']) expect(text).not.toContain(hidden);
  });

  it('refuses forged, altered, expired and other offices\' links', async () => {
    const a = await portalOffice(ctx);
    const b = await portalOffice(ctx);
    const { token } = await report(ctx, a.slug, await reportFields(ctx, a.office.id));
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const url of [`/portal/${a.slug}/track/${'x'.repeat(51)}`, `/portal/${a.slug}/track/${flipped}`, `/portal/${b.slug}/track/${token}`, `/portal/${b.slug}/confirmation/${token}`]) {
      const res = await get(ctx, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('Page not found');
    }
    const itemId = (await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', '=', a.office.id).executeTakeFirstOrThrow()).id;
    const old = await issueTrackingToken(ctx.database.db, a.office.id, itemId, Date.now() - (TRACKING_MAX_AGE_DAYS + 1) * 86_400_000);
    const expired = await get(ctx, `/portal/${a.slug}/track/${old}?lang=es`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('Este enlace ha caducado');
    expect((await get(ctx, `/portal/${a.slug}/track/${token}`)).statusCode).toBe(200);
  });

  it('finds a request by reference and the email or phone it was sent with, and says the same for every miss', async () => {
    const w = await portalOffice(ctx);
    const email = `${uniq('ada')}@resident.example`;
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { email: email.toUpperCase(), phone: '07700 900 321' }));
    const reference = referenceIn(page.body)!;
    const lookup = async (fields: Record<string, string>, lang = 'en') =>
      postForm(ctx, `/portal/${w.slug}/track?lang=${lang}`, { formToken: await aged(ctx, w.office.id), ...fields });
    // A fresh link to the same request (each link carries its own issue time).
    const found = async (fields: Record<string, string>) => {
      const to = redirected(await lookup(fields));
      expect(to).toMatch(new RegExp(`^/portal/${w.slug}/track/[\\w-]{51}\\?lang=en$`));
      expect(to.slice(0, 60)).toBe(trackPath.slice(0, 60));
      expect(referenceIn((await get(ctx, to)).body)).toBe(reference);
    };
    await found({ reference: reference.toLowerCase(), contact: email });
    await found({ reference, contact: '+44 7700 900321' });
    const misses = [
      await lookup({ reference, contact: 'someone-else@resident.example' }),
      await lookup({ reference: 'C-2099-99999', contact: email }),
      await lookup({ reference, contact: '07700 900999' }),
    ];
    for (const miss of misses) {
      expect(miss.statusCode).toBe(400);
      expect(miss.body).toContain('We could not find a request with that reference and those contact details');
    }
    const es = await lookup({ reference, contact: 'nadie@resident.example' }, 'es');
    expect(es.body).toContain('No hemos encontrado ninguna solicitud');
    const malformed = await lookup({ reference: 'nonsense', contact: '' });
    expect(malformed.body).toContain('<a href="#reference">Enter the reference in the format C-2026-00042');
    expect(malformed.body).toContain('<a href="#contact">Enter the email address or phone number you used');
  });

  it('masks tracking tokens in logged URLs', () => {
    expect(maskPathTokens('/portal/town/track/abcDEF_-123?lang=es')).toBe('/portal/town/track/[token]?lang=es');
    expect(maskPathTokens('/portal/town/confirmation/abcDEF_-123')).toBe('/portal/town/confirmation/[token]');
    expect(maskPathTokens('/portal/town/track/abc/comments')).toBe('/portal/town/track/[token]/comments');
    expect(maskPathTokens('/portal/town/track?lang=es')).toBe('/portal/town/track?lang=es');
  });
});

describe('comments', () => {
  it('puts the resident\'s comment on the case timeline through intake, once per clientToken, and shows it on the page', async () => {
    const w = await portalOffice(ctx);
    const { page, trackPath } = await report(ctx, w.slug, await reportFields(ctx, w.office.id));
    const kase = await caseByReference(w.office.id, referenceIn(page.body)!);
    const fields = { text: 'It is getting deeper <b>fast</b>', clientToken: uniq('c'), formToken: await aged(ctx, w.office.id) };
    const ip = randomIp();
    expect(redirected(await postForm(ctx, `${trackPath}/comments?lang=en`, fields, {}, ip))).toBe(`${trackPath}?lang=en&comment=sent`);
    redirected(await postForm(ctx, `${trackPath}/comments`, fields, {}, ip));
    const items = await ctx.database.db.selectFrom('inbound_items').selectAll().where('office_id', '=', w.office.id).where('idempotency_key', '=', fields.clientToken).execute();
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ status: 'filed', case_id: kase.id, channel: 'web' });
    const timeline = ok(await w.admin.api('GET', `/api/v1/cases/${kase.id}/timeline`), 200) as { items: { action: string; after: { text?: string } | null }[] };
    expect(timeline.items.some((e) => e.action === 'received' && e.after?.text === fields.text)).toBe(true);
    const after = await get(ctx, `${trackPath}?comment=sent`);
    expect(after.body).toContain('Your comment has been added to your request');
    expect(textOf(after.body)).toContain('You added a comment');
    expect(textOf(after.body)).toContain(fields.text);
    expect(after.body).not.toContain('<b>fast</b>');
  });

  it('refuses an empty or too-long comment in the resident\'s language, and a comment through another office\'s link', async () => {
    const a = await portalOffice(ctx);
    const b = await portalOffice(ctx);
    const { trackPath, token } = await report(ctx, a.slug, await reportFields(ctx, a.office.id));
    const empty = await postForm(ctx, `${trackPath}/comments?lang=es`, { text: '', clientToken: uniq('c'), formToken: await aged(ctx, a.office.id) });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('<a href="#text">Escriba su comentario');
    const long = await postForm(ctx, `${trackPath}/comments`, { text: 'y'.repeat(5001), clientToken: uniq('c'), formToken: await aged(ctx, a.office.id) });
    expect(long.body).toContain('Shorten this to 5,000 characters or fewer');
    const foreign = await postForm(ctx, `/portal/${b.slug}/track/${token}/comments`, { text: 'hello', clientToken: uniq('c'), formToken: await aged(ctx, b.office.id) });
    expect(foreign.statusCode).toBe(404);
    expect(await count('inbound_items', a.office.id)).toBe(1);
    expect(await count('inbound_items', b.office.id)).toBe(0);
  });
});

describe('language negotiation', () => {
  it('takes ?lang= first, then the cookie, then Accept-Language, then the office\'s locale, then English', async () => {
    const w = await portalOffice(ctx);
    const langOf = async (query: string, headers: Record<string, string>) => /<html lang="([a-z]+)">/.exec((await get(ctx, `/portal/${w.slug}${query}`, headers)).body)?.[1];
    expect(await langOf('?lang=en', { cookie: 'civitas_lang=es', 'accept-language': 'es' })).toBe('en');
    expect(await langOf('', { cookie: 'civitas_lang=es', 'accept-language': 'en' })).toBe('es');
    expect(await langOf('?lang=xx', { cookie: 'civitas_lang=zz', 'accept-language': 'fr;q=0.9, es-MX;q=0.8, en;q=0.1' })).toBe('es');
    expect(await langOf('', { 'accept-language': 'de' })).toBe('en');
    ok(await w.admin.api('PATCH', '/api/v1/office', { locale: 'es-ES' }), 200);
    expect(await langOf('', { 'accept-language': 'de' })).toBe('es');
    expect(await langOf('', {})).toBe('es');
    expect(await langOf('', { 'accept-language': 'en-GB' })).toBe('en');
  });
});
