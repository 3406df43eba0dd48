// Resident accounts through HTTP: asking for a link (the same answer for any address, the
// email queued in the resident's language), opening it (nothing used up) and signing in, the
// resident's requests and nobody else's, a read-only request page, contact preferences and
// consent through the ledger (a withdrawal stops messages), the data download, signing out;
// used, expired and forged links, another office's cookie, the limits, HTML shown as text,
// and tokens kept out of logs and sent mail.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConstituent, createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { maskPathTokens } from '../../app.js';
import { ok } from '../cases/cases.testkit.js';
import { mayContact } from '../constituents/constituents.consent.js';
import { scrubLinks } from '../messages/messages.repo.js';
import { LINKS_PER_EMAIL_PER_HOUR, SESSION_COOKIE } from './portal.account.js';
import { aged, HTML, portalOffice, postForm, redirected, report, reportFields, textOf } from './portal.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000' });
});
afterAll(() => ctx.close());

type World = Awaited<ReturnType<typeof portalOffice>>;

const signInMails = (officeId: string, to: string) =>
  ctx.database.db.selectFrom('outbound_messages').select(['subject', 'body_text', 'to_address', 'case_id', 'constituent_id', 'status'])
    .where('office_id', '=', officeId).where('kind', '=', 'portal_sign_in').where('to_address', '=', to).orderBy('created_at').execute();

/** Asks for a link as a browser does; the path of the link in the email queued for it. */
async function askForLink(w: World, email: string, lang = 'en', ip = randomIp()): Promise<string> {
  const before = (await signInMails(w.office.id, email)).length;
  const res = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=${lang}`, { email, formToken: await aged(ctx, w.office.id) }, {}, ip);
  expect(redirected(res)).toBe(`/portal/${w.slug}/account/check-email?lang=${lang}`);
  const mails = await signInMails(w.office.id, email.toLowerCase());
  expect(mails).toHaveLength(before + 1);
  const url = new URL(/https?:\/\/\S+\/account\/sign-in\/[\w-]{43}\?lang=\w+/.exec(mails.at(-1)!.body_text)![0]);
  return `${url.pathname}${url.search}`;
}

/** Opens the link and presses "Sign in": the session cookie, as a browser would send it back. */
async function signIn(w: World, link: string): Promise<string> {
  const page = await open(link);
  expect(page.statusCode, page.body).toBe(200);
  expect(page.body).toMatch(/<button type="submit">Sign in<\/button>|<button type="submit">Iniciar sesión<\/button>/);
  const res = await postForm(ctx, link, { formToken: await aged(ctx, w.office.id) });
  expect(redirected(res)).toMatch(new RegExp(`^/portal/${w.slug}/account\\?lang=\\w+&signedIn=1$`));
  return /^(civitas_portal_session=[\w-]{43});/.exec(sessionCookie(res))![1]!;
}

/** The Set-Cookie of the session (the language cookie may come with it). */
const sessionCookie = (res: { headers: Record<string, unknown> }) =>
  ([res.headers['set-cookie'] ?? []].flat() as string[]).find((c) => c.startsWith(`${SESSION_COOKIE}=`)) ?? '';

// From an address of its own each time: the whole file at machine speed is past one address's page limit.
const asResident = (url: string, cookie: string) => ctx.app.inject({ method: 'GET', url, remoteAddress: randomIp(), headers: { ...HTML, cookie } });
const open = (url: string) => ctx.app.inject({ method: 'GET', url, remoteAddress: randomIp(), headers: HTML });

/** A resident who sent a report through the portal: the world, their email, the report's tracking path and reference. */
async function resident(w: World, overrides: Record<string, string> = {}) {
  const email = `${uniq('ada')}@resident.example`;
  const sent = await report(ctx, w.slug, await reportFields(ctx, w.office.id, { email, categoryId: w.category.id, preferredChannel: 'email', ...overrides }));
  const reference = /C-\d{4}-\d{5,}/.exec(sent.page.body)![0];
  const kase = await ctx.database.db.selectFrom('cases').select(['id', 'requester_id']).where('office_id', '=', w.office.id).where('reference', '=', reference).executeTakeFirstOrThrow();
  return { email, reference, caseId: kase.id, constituentId: kase.requester_id!, trackPath: sent.trackPath };
}

describe('signing in', () => {
  it('emails a one-time link in the resident\'s language, signs in with a post, and signs out', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const form = await open(`/portal/${w.slug}/account?lang=es`);
    expect(form.statusCode).toBe(200);
    expect(textOf(form.body)).toContain('Inicie sesión para ver sus solicitudes');
    expect(form.body).toContain('for="email"');
    // The header links every page to the account.
    expect((await open(`/portal/${w.slug}?lang=en`)).body).toContain(`href="/portal/${w.slug}/account?lang=en">Your requests and settings</a>`);

    const link = await askForLink(w, r.email.toUpperCase(), 'es');
    const [mail] = await signInMails(w.office.id, r.email);
    expect(mail).toMatchObject({ subject: `Su enlace para iniciar sesión en ${w.office.name}`, case_id: null, constituent_id: null, status: 'queued' });
    expect(mail!.body_text).toContain('durante 20 minutos');
    const check = await open(`/portal/${w.slug}/account/check-email?lang=es`);
    expect(textOf(check.body)).toContain('Revise su correo electrónico');
    // Only the hash is stored.
    const token = link.split('/').at(-1)!.split('?')[0]!;
    const stored = await ctx.database.db.selectFrom('portal_sign_in_links').select(['token_hash', 'language']).where('office_id', '=', w.office.id).execute();
    expect(stored).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), language: 'es' }]);
    expect(JSON.stringify(stored)).not.toContain(token);

    // Opening the link twice (a mail scanner, then the person) uses nothing up.
    expect((await open(link)).statusCode).toBe(200);
    const page = await open(link);
    expect(page.body).toContain(`action="/portal/${w.slug}/account/sign-in/${token}?lang=es"`);
    const res = await postForm(ctx, link, { formToken: await aged(ctx, w.office.id) });
    expect(redirected(res)).toBe(`/portal/${w.slug}/account?lang=es&signedIn=1`);
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]{43}; Max-Age=2592000; Path=/portal/${w.slug}; HttpOnly; SameSite=Lax$`));
    const session = /^([^;]+)/.exec(cookie)![1]!;
    const sessions = await ctx.database.db.selectFrom('portal_sessions').select('token_hash').where('office_id', '=', w.office.id).execute();
    expect(sessions).toHaveLength(1);
    expect(session).not.toContain(sessions[0]!.token_hash);

    const home = await asResident(`/portal/${w.slug}/account?lang=es&signedIn=1`, session);
    expect(textOf(home.body)).toContain('Ha iniciado sesión.');
    expect(textOf(home.body)).toContain(`Sesión iniciada como ${r.email}`);

    const out = await postForm(ctx, `/portal/${w.slug}/account/sign-out?lang=es`, {}, { cookie: session });
    expect(redirected(out)).toBe(`/portal/${w.slug}/account?lang=es&signedOut=1`);
    expect(sessionCookie(out)).toMatch(new RegExp(`^${SESSION_COOKIE}=; Max-Age=0; Path=/portal/${w.slug}; .*HttpOnly; SameSite=Lax`));
    expect(await ctx.database.db.selectFrom('portal_sessions').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
    const after = await asResident(`/portal/${w.slug}/account?lang=es&signedOut=1`, session);
    expect(textOf(after.body)).toContain('Ha cerrado la sesión.');
    expect(textOf(after.body)).not.toContain(r.email);
  });

  it('answers an unknown address exactly as a known one, and sends it nothing', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const known = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: r.email, formToken: await aged(ctx, w.office.id) });
    const unknown = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: 'nobody@resident.example', formToken: await aged(ctx, w.office.id) });
    expect([unknown.statusCode, unknown.headers.location, unknown.body]).toEqual([known.statusCode, known.headers.location, known.body]);
    expect(await signInMails(w.office.id, 'nobody@resident.example')).toEqual([]);
    expect(await ctx.database.db.selectFrom('portal_sign_in_links').select('email').where('office_id', '=', w.office.id).execute()).toEqual([{ email: r.email }]);
  });

  it('shows what to fix for a missing or malformed address, in the resident\'s language', async () => {
    const w = await portalOffice(ctx);
    const blank = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: ' ', formToken: await aged(ctx, w.office.id) });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('<a href="#email">Enter your email address</a>');
    expect(blank.body).toContain('aria-invalid="true"');
    const bad = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=es`, { email: 'not-an-email', formToken: await aged(ctx, w.office.id) });
    expect(bad.statusCode).toBe(400);
    expect(textOf(bad.body)).toContain('Escriba un correo electrónico con el formato correcto');
    expect(bad.body).toContain('value="not-an-email"');
    const forged = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: 'a@resident.example', formToken: '1.x' });
    expect(forged.statusCode).toBe(400);
    expect(textOf(forged.body)).toContain('We could not check the form');
  });

  it('refuses a used, an expired and a forged link with a page that says what to do', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const link = await askForLink(w, r.email);
    await signIn(w, link);
    for (const res of [await open(link), await postForm(ctx, link, { formToken: await aged(ctx, w.office.id) })]) {
      expect(res.statusCode).toBe(410);
      expect(textOf(res.body)).toContain('This sign-in link has already been used');
      expect(res.body).toContain(`href="/portal/${w.slug}/account?lang=en">Ask for a new sign-in link</a>`);
      expect(sessionCookie(res)).toBe('');
    }
    const second = await askForLink(w, r.email);
    await ctx.database.db.updateTable('portal_sign_in_links').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('office_id', '=', w.office.id).where('used_at', 'is', null).execute();
    const expired = await postForm(ctx, second, { formToken: await aged(ctx, w.office.id) });
    expect(expired.statusCode).toBe(410);
    expect(textOf(expired.body)).toContain('Sign-in links work for 20 minutes');
    const third = await askForLink(w, r.email);
    const token = third.split('/').at(-1)!.split('?')[0]!;
    const forged = third.replace(token, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    for (const url of [forged, `/portal/${w.slug}/account/sign-in/short`]) {
      const res = await postForm(ctx, url, { formToken: await aged(ctx, w.office.id) });
      expect(res.statusCode).toBe(404);
      expect(textOf(res.body)).toContain('This sign-in link is not valid');
    }
    // A post without the form token signs nobody in, and leaves the link usable.
    expect((await postForm(ctx, third, {})).statusCode).toBe(403);
    await signIn(w, third);
  });

  it('limits links per address and asks per client address', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    for (let i = 0; i < LINKS_PER_EMAIL_PER_HOUR; i++) await askForLink(w, r.email);
    const over = await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: r.email, formToken: await aged(ctx, w.office.id) });
    // The same answer, and no more mail.
    expect(redirected(over)).toBe(`/portal/${w.slug}/account/check-email?lang=en`);
    expect(await signInMails(w.office.id, r.email)).toHaveLength(LINKS_PER_EMAIL_PER_HOUR);
    const ip = randomIp();
    const answers = [];
    for (let i = 0; i < 11; i++) answers.push((await postForm(ctx, `/portal/${w.slug}/account/sign-in?lang=en`, { email: `${uniq('x')}@resident.example`, formToken: await aged(ctx, w.office.id) }, {}, ip)).statusCode);
    expect(answers.slice(0, 10).every((s) => s === 303)).toBe(true);
    expect(answers[10]).toBe(429);
  });

  it('keeps link tokens out of logs and out of sent mail', () => {
    const token = 'a'.repeat(43);
    expect(maskPathTokens(`/portal/town/account/sign-in/${token}?lang=es`)).toBe('/portal/town/account/sign-in/[token]?lang=es');
    expect(scrubLinks(`Open https://civitas.example/portal/town/account/sign-in/${token}?lang=en`)).toBe('Open https://civitas.example/portal/town/account/sign-in/[link]?lang=en');
  });
});

describe('signed in', () => {
  it('lists the resident\'s requests of this office only, with tracking links or a read-only page', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const other = await resident(w);
    // A case staff opened for the same person (no tracking link), and a sensitive one.
    const byPhone = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Phoned about bins', channel: 'phone', constituents: [{ constituentId: r.constituentId }] }), 201) as { id: string; reference: string };
    const secret = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Private matter', channel: 'phone', isSensitive: true, constituents: [{ constituentId: r.constituentId }] }), 201) as { reference: string };
    ok(await w.admin.api('POST', `/api/v1/cases/${byPhone.id}/notes`, { body: 'Internal: neighbour dispute.' }), 201);
    ok(await w.admin.api('POST', `/api/v1/cases/${byPhone.id}/notes`, { body: 'We have ordered a new bin.', isPublic: true }), 201);
    // The same address at another office.
    const elsewhere = await portalOffice(ctx);
    await report(ctx, elsewhere.slug, await reportFields(ctx, elsewhere.office.id, { email: r.email }));

    const cookie = await signIn(w, await askForLink(w, r.email));
    const list = await asResident(`/portal/${w.slug}/account?lang=en`, cookie);
    expect(list.statusCode).toBe(200);
    const text = textOf(list.body);
    expect(text).toContain('3 requests');
    for (const ref of [r.reference, byPhone.reference, secret.reference]) expect(text).toContain(ref);
    expect(text).not.toContain(other.reference);
    expect(text).toContain(w.category.name);
    expect(text).toContain('Private');
    expect(list.body).toMatch(new RegExp(`<a href="/portal/${w.slug}/track/[\\w-]{51}\\?lang=en">${r.reference}</a>`));
    expect(list.body).toContain(`<a href="/portal/${w.slug}/account/requests/${byPhone.reference}?lang=en">${byPhone.reference}</a>`);

    const page = await asResident(`/portal/${w.slug}/account/requests/${byPhone.reference}`, cookie);
    expect(page.statusCode).toBe(200);
    expect(textOf(page.body)).toContain('We have ordered a new bin.');
    expect(page.body).not.toContain('neighbour dispute');
    expect(page.body).not.toContain('<form method="post" action="" ');
    const sensitive = await asResident(`/portal/${w.slug}/account/requests/${secret.reference}`, cookie);
    expect(textOf(sensitive.body)).toContain('this page shows only the reference and status');
    expect(sensitive.body).not.toContain('Private matter');
    expect((await asResident(`/portal/${w.slug}/account/requests/${other.reference}`, cookie)).statusCode).toBe(404);
    // Signed out, the account's pages send the browser to sign in.
    expect(redirected(await open(`/portal/${w.slug}/account/requests/${byPhone.reference}`))).toBe(`/portal/${w.slug}/account?lang=en`);
  });

  it('pages through many requests', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    for (let i = 0; i < 11; i++) ok(await w.admin.api('POST', '/api/v1/cases', { subject: `Case ${i}`, channel: 'phone', constituents: [{ constituentId: r.constituentId }] }), 201);
    const cookie = await signIn(w, await askForLink(w, r.email));
    const first = await asResident(`/portal/${w.slug}/account?lang=en`, cookie);
    expect(textOf(first.body)).toContain('12 requests');
    expect((first.body.match(/<tr><th scope="row">/g) ?? []).length).toBe(10);
    expect(first.body).toContain(`href="/portal/${w.slug}/account?page=2&amp;lang=en" rel="next">Next page</a>`);
    const second = await asResident(`/portal/${w.slug}/account?page=2&lang=en`, cookie);
    expect((second.body.match(/<tr><th scope="row">/g) ?? []).length).toBe(2);
    expect(textOf(second.body)).toContain('Page 2 of 2');
    expect(second.body).toContain('rel="prev">Previous page</a>');
    // The oldest (the portal report) is last.
    expect(second.body).toContain(r.reference);
  });

  it('changes preferences and consent through the ledger; a withdrawal stops messages', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const cookie = await signIn(w, await askForLink(w, r.email));
    const before = await mayContact(ctx.database.db, w.office.id, r.constituentId, 'email', 'casework');
    expect(before.allowed).toBe(true);
    const page = await asResident(`/portal/${w.slug}/account/preferences?lang=en`, cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('name="consent.email.casework" checked=""');
    expect(page.body).toContain('name="consent.email.outreach" value="on"/>');
    // Casework by email withdrawn, outreach by email given, Spanish and texts preferred.
    const fields = { formToken: await aged(ctx, w.office.id), preferredChannel: 'sms', preferredLanguage: 'es', 'consent.sms.casework': 'on', 'consent.phone.casework': 'on', 'consent.post.casework': 'on', 'consent.email.outreach': 'on' };
    const saved = await postForm(ctx, `/portal/${w.slug}/account/preferences?lang=en`, fields, { cookie });
    expect(redirected(saved)).toBe(`/portal/${w.slug}/account/preferences?lang=en&saved=1`);
    const decision = await mayContact(ctx.database.db, w.office.id, r.constituentId, 'email', 'casework');
    expect(decision).toMatchObject({ allowed: false, reason: 'consent_withdrawn' });
    expect(await mayContact(ctx.database.db, w.office.id, r.constituentId, 'email', 'outreach')).toMatchObject({ allowed: true, reason: 'consent_granted' });
    const consents = ok(await w.admin.api('GET', `/api/v1/constituents/${r.constituentId}/consents`), 200) as { history: { channel: string; purpose: string; status: string; source: string; evidence: string; recordedBy: string }[] };
    const portalOnes = consents.history.filter((h) => h.recordedBy === 'Resident (portal)');
    expect(portalOnes.map((h) => `${h.channel}.${h.purpose}.${h.status}.${h.source}`).sort()).toEqual(['email.casework.withdrawn.portal', 'email.outreach.granted.portal']);
    expect(portalOnes.find((h) => h.purpose === 'casework')!.evidence).toContain(`by ${r.email}, signed in with a link sent to that address: "About your requests: Email" unticked (en)`);
    const person = ok(await w.admin.api('GET', `/api/v1/constituents/${r.constituentId}`), 200) as { preferredChannel: string; preferredLanguage: string };
    expect(person).toMatchObject({ preferredChannel: 'sms', preferredLanguage: 'es' });
    const events = await ctx.database.db.selectFrom('events').select(['entity_type', 'action', 'actor_label']).where('office_id', '=', w.office.id).where('constituent_id', '=', r.constituentId).where('actor_label', '=', 'Resident (portal)').execute();
    expect(events.map((e) => `${e.entity_type}.${e.action}`).sort()).toEqual(['consent.granted', 'consent.withdrawn', 'constituent.updated']);

    const shown = await asResident(`/portal/${w.slug}/account/preferences?lang=en&saved=1`, cookie);
    expect(textOf(shown.body)).toContain('Your preferences have been saved.');
    expect(shown.body).toContain('name="preferredChannel" checked="" value="sms"');
    expect(textOf(shown.body)).toContain('Withdrawn: About your requests by Email');
    // Sending the same again records nothing more.
    expect(redirected(await postForm(ctx, `/portal/${w.slug}/account/preferences?lang=en`, { ...fields, formToken: await aged(ctx, w.office.id) }, { cookie }))).toContain('saved=1');
    expect(((ok(await w.admin.api('GET', `/api/v1/constituents/${r.constituentId}/consents`), 200)) as { history: unknown[] }).history).toHaveLength(consents.history.length);
    // A choice that is not offered is the resident's problem to fix.
    const bad = await postForm(ctx, `/portal/${w.slug}/account/preferences?lang=en`, { ...fields, preferredChannel: 'pigeon', formToken: await aged(ctx, w.office.id) }, { cookie });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('<a href="#preferredChannel">Choose how you would prefer to hear from us</a>');
  });

  it('downloads the resident\'s own data only, with sensitive requests limited', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w, { name: 'Ada Lovelace', description: 'The street light is out.' });
    const other = await resident(w, { name: 'Grace Other', description: 'Someone else entirely.' });
    ok(await w.admin.api('POST', `/api/v1/cases/${r.caseId}/notes`, { body: 'Internal: call the contractor.' }), 201);
    const secret = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Private matter', description: 'Confidential detail', channel: 'phone', isSensitive: true, constituents: [{ constituentId: r.constituentId }] }), 201) as { reference: string };
    const cookie = await signIn(w, await askForLink(w, r.email));
    const res = await asResident(`/portal/${w.slug}/account/data`, cookie);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${w.slug}-my-data.json"`);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as { signedInAs: string; records: { id: string; emails: { email: string }[]; consents: { source: string }[] }[]; requests: { reference: string; topic?: string }[]; messages: { text: string; reference: string }[] };
    expect(body.signedInAs).toBe(r.email);
    expect(body.records.map((x) => x.id)).toEqual([r.constituentId]);
    expect(body.records[0]!.emails).toEqual([expect.objectContaining({ email: r.email })]);
    expect(body.records[0]!.consents).toEqual([expect.objectContaining({ source: 'portal' })]);
    expect(body.requests.map((x) => x.reference).sort()).toEqual([r.reference, secret.reference].sort());
    expect(body.requests.find((x) => x.reference === secret.reference)).toEqual({ reference: secret.reference, status: 'received' });
    expect(body.messages).toEqual([expect.objectContaining({ reference: r.reference, kind: 'request', text: 'The street light is out.' })]);
    const raw = res.body;
    for (const absent of [other.email, other.reference, 'Grace Other', 'Someone else entirely', 'Internal: call the contractor', 'Confidential detail', 'Private matter']) expect(raw).not.toContain(absent);
    const events = await ctx.database.db.selectFrom('events').select('action').where('office_id', '=', w.office.id).where('constituent_id', '=', r.constituentId).where('action', '=', 'portal_data_downloaded').execute();
    expect(events).toHaveLength(1);
  });

  it('shows HTML in what staff and residents typed as text', async () => {
    const w = await portalOffice(ctx);
    const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('<img src=x onerror=alert(1)>') }), 201) as { id: string; name: string };
    const r = await resident(w, { categoryId: category.id });
    const cookie = await signIn(w, await askForLink(w, r.email));
    const list = await asResident(`/portal/${w.slug}/account`, cookie);
    expect(list.body).not.toContain('<img src=x');
    expect(list.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('offices', () => {
  it('never takes one office\'s session at another, even for the same address', async () => {
    const a = await portalOffice(ctx);
    const b = await portalOffice(ctx);
    const r = await resident(a);
    await report(ctx, b.slug, await reportFields(ctx, b.office.id, { email: r.email }));
    const cookie = await signIn(a, await askForLink(a, r.email));
    expect(textOf((await asResident(`/portal/${a.slug}/account`, cookie)).body)).toContain(`Signed in as ${r.email}`);
    const atB = await asResident(`/portal/${b.slug}/account`, cookie);
    expect(atB.statusCode).toBe(200);
    expect(textOf(atB.body)).toContain('Sign in to see your requests');
    expect(textOf(atB.body)).not.toContain(r.email);
    expect(redirected(await asResident(`/portal/${b.slug}/account/data`, cookie))).toBe(`/portal/${b.slug}/account?lang=en`);
    expect(redirected(await asResident(`/portal/${b.slug}/account/preferences`, cookie))).toBe(`/portal/${b.slug}/account?lang=en`);
    const post = await postForm(ctx, `/portal/${b.slug}/account/preferences`, { formToken: await aged(ctx, b.office.id), preferredChannel: 'sms', preferredLanguage: 'es' }, { cookie });
    expect(redirected(post)).toBe(`/portal/${b.slug}/account?lang=en`);
    // A's link under B's address is not a link at all.
    const link = await askForLink(a, r.email);
    const res = await postForm(ctx, link.replace(`/portal/${a.slug}/`, `/portal/${b.slug}/`), { formToken: await aged(ctx, b.office.id) });
    expect(res.statusCode).toBe(404);
    expect(sessionCookie(res)).toBe('');
  });

  it('ends a session unused for the idle limit, and any session at its absolute expiry', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const signedIn = (cookie: string) => asResident(`/portal/${w.slug}/account`, cookie).then((res) => textOf(res.body).includes(`Signed in as ${r.email}`));
    const idle = await signIn(w, await askForLink(w, r.email));
    const old = await signIn(w, await askForLink(w, r.email));
    expect([await signedIn(idle), await signedIn(old)]).toEqual([true, true]);
    const hashOf = (cookie: string) => createHash('sha256').update(cookie.split('=')[1]!).digest('hex');
    await ctx.database.db.updateTable('portal_sessions').set({ last_seen_at: sql<Date>`now() - interval '8 days'` }).where('office_id', '=', w.office.id).where('token_hash', '=', hashOf(idle)).execute();
    await ctx.database.db.updateTable('portal_sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('office_id', '=', w.office.id).where('token_hash', '=', hashOf(old)).execute();
    expect([await signedIn(idle), await signedIn(old)]).toEqual([false, false]);
  });

  it('speaks for every live record holding the address, and none that moved', async () => {
    const w = await portalOffice(ctx);
    const r = await resident(w);
    const twin = await createConstituent(ctx, w.office, { givenName: 'Ada', familyName: 'Twin', emails: [{ email: r.email }] });
    const moved = await createConstituent(ctx, w.office, { givenName: 'Old', familyName: 'Owner', emails: [{ email: r.email, status: 'moved' }] });
    const twinCase = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Twin case', channel: 'phone', constituents: [{ constituentId: twin.id }] }), 201) as { reference: string };
    const movedCase = ok(await w.admin.api('POST', '/api/v1/cases', { subject: 'Old case', channel: 'phone', constituents: [{ constituentId: moved.id }] }), 201) as { reference: string };
    const cookie = await signIn(w, await askForLink(w, r.email));
    const text = textOf((await asResident(`/portal/${w.slug}/account`, cookie)).body);
    expect(text).toContain(twinCase.reference);
    expect(text).not.toContain(movedCase.reference);
  });
});
