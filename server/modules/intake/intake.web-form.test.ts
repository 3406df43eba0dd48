// The public request form: categories with a signed form token, requests as JSON and as a
// plain HTML form post, idempotent resubmits, the honeypot, the minimum fill time, floods per
// address (shared by app processes on one database) and per email, oversize bodies, bad
// fields, offices kept apart, contact details that match a record on file (only suggested),
// and acknowledgements to the details typed, with the request's tracking link.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { InboundItemSummary } from '../../../contract/intake.js';
import { createConstituent, createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import { applyKeyword } from '../sms/sms.keywords.js';
import { splitSms } from '../sms/sms.segments.js';
import { setUpSms } from '../sms/sms.testkit.js';
import { ACK_LIMIT_PER_HOUR } from './intake.acknowledge.js';
import { issueFormToken } from './intake.form-token.js';
import { expectNothingOf, personOnFile, traceOf } from './intake.testkit.js';
import { ADDRESS_WINDOW_SECONDS, purgeFormHits } from './intake.web-repo.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000' });
});
afterAll(() => ctx.close());

async function office(c: TestContext = ctx) {
  const w = await casework(c);
  const slug = (ok(await w.admin.api('GET', '/api/v1/office'), 200) as { slug: string }).slug;
  const category = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Potholes') }), 201) as { id: string };
  ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null }), 200);
  return { ...w, slug, category };
}

/** A form token as if the form had been served `ago` ms earlier. */
const aged = (c: TestContext, officeId: string, ago = 60_000) => issueFormToken(c.database.db, officeId, Date.now() - ago);

async function body(c: TestContext, officeId: string, overrides: Record<string, unknown> = {}) {
  return {
    name: 'Grace Hopper', email: `${uniq('grace')}@resident.example`, description: 'Deep pothole outside number 12.\nIt has been there a month.',
    address: '12 Mill Lane', clientToken: uniq('tok'), formToken: await aged(c, officeId), ...overrides,
  };
}

const postJson = (slug: string, payload: object, c: TestContext = ctx, ip = randomIp()) =>
  c.app.inject({ method: 'POST', url: `/api/v1/public/${slug}/requests`, payload, remoteAddress: ip });

const postForm = (slug: string, fields: Record<string, string>, c: TestContext = ctx, ip = randomIp()) =>
  c.app.inject({
    method: 'POST', url: `/api/v1/public/${slug}/requests`, payload: new URLSearchParams(fields).toString(), remoteAddress: ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,application/xhtml+xml' },
  });

const countItems = async (officeId: string) =>
  Number((await ctx.database.db.selectFrom('inbound_items').select(sql<string>`count(*)`.as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

describe('the categories endpoint', () => {
  it("lists the office's current categories with a form token, and 404s an unknown office", async () => {
    const w = await office();
    const retired = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Old') }), 201) as { id: string };
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${retired.id}`, { retired: true }), 200);
    const res = ok(await ctx.app.inject({ method: 'GET', url: `/api/v1/public/${w.slug}/categories` }), 200) as { items: { id: string }[]; formToken: string; office: { slug: string } };
    expect(res.office.slug).toBe(w.slug);
    expect(res.items.map((i) => i.id)).toEqual([w.category.id]);
    expect(res.formToken).toMatch(/^\d{13}\.[\w-]{43}$/);
    refused(await ctx.app.inject({ method: 'GET', url: '/api/v1/public/no-such-office/categories' }), 404, 'not_found');
  });
});

describe('the office setting', () => {
  const publicRoutes = async (slug: string, officeId: string) => [
    (await ctx.app.inject({ method: 'GET', url: `/api/v1/public/${slug}/categories` })).statusCode,
    (await ctx.app.inject({ method: 'GET', url: `/forms/${slug}`, headers: { accept: 'text/html' } })).statusCode,
    (await postJson(slug, await body(ctx, officeId))).statusCode,
  ];

  it('keeps a new office\'s form off (404 everywhere) until an admin turns it on, and off again when turned off', async () => {
    const w = await casework(ctx);
    const slug = (ok(await w.admin.api('GET', '/api/v1/office'), 200) as { slug: string }).slug;
    expect(ok(await w.admin.api('GET', '/api/v1/intake/public-form'), 200)).toEqual({ enabled: false, categoryIds: null });
    expect(await publicRoutes(slug, w.office.id)).toEqual([404, 404, 404]);
    expect((await w.caseworker.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null })).statusCode).toBe(403);
    expect(await publicRoutes(slug, w.office.id)).toEqual([404, 404, 404]);
    ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: null }), 200);
    expect(await publicRoutes(slug, w.office.id)).toEqual([200, 200, 201]);
    ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: false, categoryIds: null }), 200);
    expect(await publicRoutes(slug, w.office.id)).toEqual([404, 404, 404]);
    expect(await countItems(w.office.id)).toBe(1);
  });

  it('offers only the categories chosen for the form, and refuses a request naming another', async () => {
    const w = await office();
    const hidden = ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq('Internal') }), 201) as { id: string };
    expect(ok(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: [w.category.id] }), 200)).toEqual({ enabled: true, categoryIds: [w.category.id] });
    const res = ok(await ctx.app.inject({ method: 'GET', url: `/api/v1/public/${w.slug}/categories` }), 200) as { items: { id: string }[] };
    expect(res.items.map((i) => i.id)).toEqual([w.category.id]);
    expect((await ctx.app.inject({ method: 'GET', url: `/forms/${w.slug}` })).body).not.toContain(hidden.id);
    refused(await postJson(w.slug, await body(ctx, w.office.id, { categoryId: hidden.id })), 400, 'validation_failed', 'categoryId');
    ok(await postJson(w.slug, await body(ctx, w.office.id, { categoryId: w.category.id })), 201);
    const other = await office();
    refused(await w.admin.api('PUT', '/api/v1/intake/public-form', { enabled: true, categoryIds: [w.category.id, other.category.id] }), 400, 'validation_failed', 'categoryIds.1');
  });
});

describe('a request', () => {
  it('opens a web case with its category and place, a provisional requester, and answers the reference; a resubmit answers the same and stores nothing twice', async () => {
    const w = await office();
    const b = await body(ctx, w.office.id, { categoryId: w.category.id, lat: 51.5, lng: -0.12, phone: '07700 900123' });
    const first = ok(await postJson(w.slug, b), 201) as { reference: string; status: string; duplicate: boolean };
    expect(first).toMatchObject({ reference: expect.stringMatching(/^C-\d{4}-\d{5,}$/), status: 'filed', duplicate: false });
    expect(ok(await postJson(w.slug, b), 200)).toEqual({ ...first, duplicate: true });
    expect(await countItems(w.office.id)).toBe(1);

    const items = (ok(await w.caseworker.api('GET', '/api/v1/inbox?status=all'), 200) as { items: InboundItemSummary[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channel: 'web', source: 'form', status: 'filed', senderName: 'Grace Hopper', case: { reference: first.reference }, constituent: { provisional: true } });
    const c = ok(await w.admin.api('GET', `/api/v1/cases/${items[0]!.case!.id}`), 200) as Case;
    expect(c).toMatchObject({ channel: 'web', subject: 'Deep pothole outside number 12.', category: { id: w.category.id }, location: { address: '12 Mill Lane', lat: 51.5, lng: -0.12 } });
    const person = ok(await w.admin.api('GET', `/api/v1/constituents/${items[0]!.constituent!.id}`), 200) as { emails: { email: string }[]; phones: { number: string }[] };
    expect(person.emails.map((e) => e.email)).toEqual([b.email]);
    expect(JSON.stringify(person.phones)).toContain('+447700900123');
  });

  it('refuses a clientToken reused for a different request with 409, keeping the first', async () => {
    const w = await office();
    const b = await body(ctx, w.office.id);
    const first = ok(await postJson(w.slug, b), 201) as { reference: string };
    refused(await postJson(w.slug, { ...b, description: 'Someone else\'s request', email: 'other@resident.example' }), 409, 'conflict', 'clientToken');
    // The same request with a fresh form token is still a resubmit.
    expect(ok(await postJson(w.slug, { ...b, formToken: await aged(ctx, w.office.id, 30_000) }), 200)).toMatchObject({ reference: first.reference, duplicate: true });
    expect(await countItems(w.office.id)).toBe(1);
  });

  it('takes a plain HTML form post and answers a confirmation page with the reference', async () => {
    const w = await office();
    const b = await body(ctx, w.office.id);
    const res = await postForm(w.slug, { ...b, categoryId: '', phone: '', website: '' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const reference = /C-\d{4}-\d{5,}/.exec(res.body)?.[0];
    expect(reference).toBeDefined();
    expect(res.body).toContain('Thank you: we have your request');
    // Any site may frame it (the embedded form).
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(String(res.headers['content-security-policy'])).toContain('frame-ancestors *');
    const again = await postForm(w.slug, { ...b, website: '' });
    expect([again.statusCode, /C-\d{4}-\d{5,}/.exec(again.body)?.[0]]).toEqual([200, reference]);
  });

  it('serves the form page with the categories, a form token and a client token, and 404s an unknown office', async () => {
    const w = await office();
    const page = await ctx.app.inject({ method: 'GET', url: `/forms/${w.slug}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/^<!doctype html>/);
    expect(page.body).not.toContain('<script');
    expect(page.body).toContain(`action="/api/v1/public/${w.slug}/requests"`);
    expect(page.body).toContain(`value="${w.category.id}"`);
    expect(page.body).toMatch(/name="formToken" value="\d{13}\.[\w-]{43}"/);
    expect(page.body).toMatch(/name="clientToken" value="[\w-]{36}"/);
    expect((await ctx.app.inject({ method: 'GET', url: '/forms/no-such-office' })).statusCode).toBe(404);
  });
});

describe('abuse protection', () => {
  it('answers a filled honeypot as if accepted, but stores it as spam and opens no case', async () => {
    const w = await office();
    const res = ok(await postJson(w.slug, await body(ctx, w.office.id, { website: 'http://cheap.example' })), 201);
    expect(res).toEqual({ reference: null, status: 'received', duplicate: false });
    const items = (ok(await w.caseworker.api('GET', '/api/v1/inbox?status=spam'), 200) as { items: InboundItemSummary[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ channel: 'web', status: 'spam', case: null, constituent: null });
    expect(await ctx.database.db.selectFrom('cases').select('id').where('office_id', '=', w.office.id).execute()).toEqual([]);
    expect(await ctx.database.db.selectFrom('constituents').select('id').where('office_id', '=', w.office.id).where('provisional', '=', true).execute()).toEqual([]);
  });

  it('refuses a form sent sooner than a person could fill it, a forged or stale token and one of another office, storing nothing', async () => {
    const w = await office();
    const other = await office();
    for (const formToken of [
      await issueFormToken(ctx.database.db, w.office.id), // just served: too fast
      await aged(ctx, w.office.id, 25 * 3600_000), // a day old
      await aged(ctx, other.office.id), // another office's
      `${Date.now() - 60_000}.${'A'.repeat(43)}`, // forged
      'nonsense',
    ]) {
      refused(await postJson(w.slug, await body(ctx, w.office.id, { formToken })), 400, 'validation_failed', 'formToken');
    }
    expect(await countItems(w.office.id)).toBe(0);
  });

  it('limits requests per client address with 429 and Retry-After', async () => {
    const small = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '3' });
    try {
      const w = await office(small);
      const ip = randomIp();
      for (let i = 0; i < 3; i++) ok(await postJson(w.slug, await body(small, w.office.id), small, ip), 201);
      const flood = await postJson(w.slug, await body(small, w.office.id), small, ip);
      refused(flood, 429, 'rate_limited');
      expect(Number(flood.headers['retry-after'])).toBeGreaterThan(60);
      // A browser gets a page saying so, with the same header.
      const page = await postForm(w.slug, { name: 'x' }, small, ip);
      expect([page.statusCode, page.headers['content-type'], Number(page.headers['retry-after']) > 60]).toEqual([429, 'text/html; charset=utf-8', true]);
      expect(page.body).toContain('Too many requests');
      ok(await postJson(w.slug, await body(small, w.office.id), small, randomIp()), 201);
    } finally {
      await small.close();
    }
  });

  it('holds the per-address limit across two app processes on one database and over a restart, keeping only a keyed hash of the address', async () => {
    const env = { RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '4', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000' };
    const first = await createTestApp(env);
    const apps = [first, await createTestApp(env, { sameDatabaseAs: first })];
    try {
      const [, second] = apps as [TestContext, TestContext];
      const w = await office(first);
      const ip = randomIp();
      const send = async (app: TestContext, from = ip) => postJson(w.slug, await body(first, w.office.id), app, from);
      // Two through each process: four in all, the limit, where each alone would take four.
      for (const app of [first, second, first, second]) ok(await send(app), 201);
      refused(await send(second), 429, 'rate_limited');
      refused(await send(first), 429, 'rate_limited');
      // A restarted process counts them too; a browser gets the refusal page.
      await second.close();
      apps.splice(1, 1, await createTestApp(env, { sameDatabaseAs: first }));
      const restarted = apps[1]!;
      const page = await postForm(w.slug, { name: 'x' }, restarted, ip);
      expect([page.statusCode, page.headers['content-type'], Number(page.headers['retry-after']) > 3000]).toEqual([429, 'text/html; charset=utf-8', true]);
      expect(page.body).toContain('Too many requests');
      ok(await send(restarted, randomIp()), 201);

      // Stored: one row per address, an HMAC of it (not the address, nor its plain hash).
      const rows = await first.database.db.selectFrom('intake_form_limits').selectAll().where('office_id', '=', w.office.id).execute();
      expect(rows.map((r) => r.hits).sort((a, b) => a - b)).toEqual([1, 7]);
      const plain = createHash('sha256').update(ip).digest();
      for (const r of rows) expect([r.client_hash.length, r.client_hash.toString('latin1').includes(ip), r.client_hash.equals(plain)]).toEqual([32, false, false]);
      // Once its window has ended, the sweep forgets it and the address may send again.
      await sql`UPDATE intake_form_limits SET window_start = now() - interval '61 minutes' WHERE office_id = ${w.office.id} AND hits = 7`.execute(first.database.db);
      expect(await purgeFormHits(first.database.db, ADDRESS_WINDOW_SECONDS)).toBeGreaterThanOrEqual(1);
      expect((await first.database.db.selectFrom('intake_form_limits').select('hits').where('office_id', '=', w.office.id).execute()).map((r) => r.hits)).toEqual([1]);
      ok(await send(restarted), 201);
    } finally {
      for (const app of apps.reverse()) await app.close();
    }
  });

  it('limits requests per email address with 429 and Retry-After, whatever the client address', async () => {
    const small = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '2' });
    try {
      const w = await office(small);
      const email = `${uniq('flood')}@resident.example`;
      for (let i = 0; i < 2; i++) ok(await postJson(w.slug, await body(small, w.office.id, { email }), small), 201);
      const flood = await postJson(w.slug, await body(small, w.office.id, { email: email.toUpperCase() }), small);
      refused(flood, 429, 'rate_limited', 'email');
      // The refusal says nothing of how many requests came from these contact details.
      expect(flood.body).not.toMatch(/\b2\b|already received/);
      expect(Number(flood.headers['retry-after'])).toBeGreaterThan(3000);
      ok(await postJson(w.slug, await body(small, w.office.id), small), 201);
    } finally {
      await small.close();
    }
  });

  it('refuses a body over 32 KiB with 413, as JSON and as a form', async () => {
    const w = await office();
    refused(await postJson(w.slug, await body(ctx, w.office.id, { description: 'x'.repeat(33 * 1024) })), 413, 'payload_too_large');
    const form = await ctx.app.inject({
      method: 'POST', url: `/api/v1/public/${w.slug}/requests`, payload: `description=${'x'.repeat(33 * 1024)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    refused(form, 413, 'payload_too_large');
    expect(await countItems(w.office.id)).toBe(0);
  });
});

describe('bad fields', () => {
  it('names the field of each problem, storing nothing', async () => {
    const w = await office();
    const other = await office();
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ email: 'not-an-email' }, 'email'],
      [{ email: undefined }, 'email'],
      [{ phone: '12' , email: undefined }, 'phone'],
      [{ description: '   ' }, 'description'],
      [{ lat: 51.5 }, 'lng'],
      [{ lat: 'north', lng: 1 }, 'lat'],
      [{ categoryId: 'potholes' }, 'categoryId'],
      [{ categoryId: other.category.id }, 'categoryId'],
      [{ clientToken: 'short' }, 'clientToken'],
    ];
    for (const [overrides, field] of cases) refused(await postJson(w.slug, await body(ctx, w.office.id, overrides)), 400, 'validation_failed', field);
    expect(await countItems(w.office.id)).toBe(0);
  });

  it('shows the form again to a browser with the problems listed, linked to their fields, and what was typed kept', async () => {
    const w = await office();
    const res = await postForm(w.slug, { name: 'Grace <Hopper>', email: 'nope', description: '', clientToken: uniq('tok'), formToken: await aged(ctx, w.office.id) });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('<a href="#email">');
    expect(res.body).toContain('<a href="#description">');
    expect(res.body).toContain('value="Grace &lt;Hopper&gt;"');
    expect(res.body).toContain('aria-invalid="true"');
    expect(await countItems(w.office.id)).toBe(0);
  });
});

describe('offices', () => {
  it("files a request only in the office whose form it was sent to", async () => {
    const a = await office();
    const b = await office();
    ok(await postJson(a.slug, await body(ctx, a.office.id)), 201);
    expect(await countItems(a.office.id)).toBe(1);
    expect(await countItems(b.office.id)).toBe(0);
    // A's form token does not pass at B.
    refused(await postJson(b.slug, await body(ctx, a.office.id)), 400, 'validation_failed', 'formToken');
  });
});

const acksOf = (officeId: string) =>
  ctx.database.db.selectFrom('outbound_messages').select(['channel', 'to_address', 'subject', 'body_text', 'case_id']).where('office_id', '=', officeId).where('kind', '=', 'acknowledgement').orderBy('created_at').execute();

/** The portal tracking link in a message's text (PUBLIC_URL/portal/<slug>/track/<token>). */
function trackingLinkIn(text: string, slug: string): string {
  const link = new RegExp(`https?://\\S+/portal/${slug}/track/[A-Za-z0-9_-]{51}`).exec(text)?.[0];
  expect(link, text).toBeDefined();
  return link!;
}

/** The link opens the portal's tracking page of the request with this reference. */
async function expectTrackingPage(link: string, reference: string) {
  const page = await ctx.app.inject({ method: 'GET', url: new URL(link).pathname, headers: { accept: 'text/html' } });
  expect(page.statusCode, page.body).toBe(200);
  expect(page.body).toContain(`Your request ${reference}`);
}

const inbox = async (w: Awaited<ReturnType<typeof office>>, query = '') => (ok(await w.caseworker.api('GET', `/api/v1/inbox${query}`), 200) as { items: InboundItemSummary[] }).items;

describe('contact details that match a record on file', () => {
  it("files the request on a provisional record of its own, only suggesting the record with that email and phone, whose history is unchanged; the answers show nothing of it", async () => {
    const w = await office();
    const { person, kase, email } = await personOnFile(ctx, w);
    const before = await traceOf(ctx, w.office.id, person.id);
    // Someone types Margaret's email and phone, and her case's reference (a token that would thread mail from her).
    const typed = { name: 'Mallory Typed', email: email.toUpperCase(), phone: '07700 900456', description: `[${kase.reference}] Please close my case.\nI have moved away.` };
    const json = await postJson(w.slug, await body(ctx, w.office.id, typed));
    const answer = ok(json, 201) as { reference: string };
    expect(Object.keys(answer).sort()).toEqual(['duplicate', 'reference', 'status']);
    const page = await postForm(w.slug, { ...(await body(ctx, w.office.id, typed)), website: '' });
    expect(page.statusCode).toBe(201);
    for (const res of [json, page]) expectNothingOf(res.body, person, kase);
    expect(answer.reference).not.toBe(kase.reference);

    // Her record, cases and timeline are as they were; her case was neither threaded into nor reopened.
    expect(await traceOf(ctx, w.office.id, person.id)).toEqual(before);
    expect((ok(await w.caseworker.api('GET', `/api/v1/cases/${kase.id}/inbound`), 200) as { items: unknown[] }).items).toEqual([]);
    // The acknowledgements go to the address typed, and name only the new case.
    const acks = await acksOf(w.office.id);
    expect(acks.map((a) => [a.channel, a.to_address])).toEqual([['email', email], ['email', email]]);
    for (const a of acks) expectNothingOf(`${a.subject}\n${a.body_text}`, person, kase);

    // Staff see both waiting in Open: filed on new cases, sender provisional, Margaret suggested.
    const open = await inbox(w);
    expect(open).toHaveLength(2);
    for (const item of open) {
      expect(item).toMatchObject({ channel: 'web', status: 'filed', constituent: { displayName: 'Mallory Typed', provisional: true }, suggestedSender: { id: person.id, displayName: person.displayName } });
      expect(item.case!.id).not.toBe(kase.id);
      expect((await w.read(item.case!.id)).requester?.id).toBe(item.constituent!.id);
    }
    expect(ok(await w.caseworker.api('GET', '/api/v1/inbox/counts'), 200)).toMatchObject({ new: 0, senderMatches: 2 });
    const [one, other] = open as [InboundItemSummary, InboundItemSummary];

    // Same person: a manager merges the sender into her record, and only then is it hers.
    refused(await w.caseworker.api('POST', `/api/v1/inbox/${one.id}/merge-sender`, { constituentId: person.id }), 403, 'forbidden');
    ok(await w.manager.api('POST', `/api/v1/inbox/${one.id}/merge-sender`, { constituentId: person.id }), 200);
    expect(ok(await w.caseworker.api('GET', `/api/v1/inbox/${one.id}`), 200)).toMatchObject({ constituent: { id: person.id, provisional: false }, suggestedSender: null });
    expect((await w.read(one.case!.id)).requester?.id).toBe(person.id);
    const after = await traceOf(ctx, w.office.id, person.id);
    expect(after.cases).toEqual([kase.id, one.case!.id].sort());
    expect(after.items).toEqual([one.id]);
    // Someone else: confirming the other sender leaves her record alone.
    expect(ok(await w.caseworker.api('POST', `/api/v1/inbox/${other.id}/confirm-sender`), 200)).toEqual({ confirmed: true });
    expect(ok(await w.caseworker.api('GET', `/api/v1/inbox/${other.id}`), 200)).toMatchObject({ constituent: { id: other.constituent!.id, provisional: false }, suggestedSender: null });
    expect((await traceOf(ctx, w.office.id, person.id)).cases).toEqual(after.cases);
    expect(await inbox(w)).toEqual([]);
    expect(ok(await w.caseworker.api('GET', '/api/v1/inbox/counts'), 200)).toMatchObject({ senderMatches: 0 });
  });

  it('suggests nobody when the details typed match no record', async () => {
    const w = await office();
    ok(await postJson(w.slug, await body(ctx, w.office.id)), 201);
    expect(await inbox(w)).toEqual([]);
    expect((await inbox(w, '?status=filed'))[0]).toMatchObject({ constituent: { provisional: true }, suggestedSender: null });
  });
});

describe('acknowledgements', () => {
  it(`emails the address typed with the reference, at most ${ACK_LIMIT_PER_HOUR} an hour`, async () => {
    const w = await office();
    const email = `${uniq('ada')}@resident.example`;
    const refs: string[] = [];
    for (let i = 0; i <= ACK_LIMIT_PER_HOUR; i++) refs.push((ok(await postJson(w.slug, await body(ctx, w.office.id, { email, phone: '07700 900777' })), 201) as { reference: string }).reference);
    const acks = await acksOf(w.office.id);
    expect(acks).toHaveLength(ACK_LIMIT_PER_HOUR);
    expect(acks[0]).toMatchObject({ channel: 'email', to_address: email, subject: `[${refs[0]}] We have received your request` });
    expect(acks[0]!.body_text).toContain(`Your request has been recorded as case ${refs[0]}.`);
  });

  it('carries the tracking link in the email, and the link opens the tracking page of that request', async () => {
    const w = await office();
    const { reference } = ok(await postJson(w.slug, await body(ctx, w.office.id)), 201) as { reference: string };
    const [ack] = await acksOf(w.office.id);
    const link = trackingLinkIn(ack!.body_text, w.slug);
    expect(ack!.body_text).toContain(`You can follow its progress here (keep the link private: anyone who has it can see how your request is progressing):\n${link}\n`);
    await expectTrackingPage(link, reference);
  });

  it('texts the mobile typed when no email was given, only while the office sends texts, and never to a landline or a number that texted STOP', async () => {
    const w = await office();
    const post = async (phone: string) => (ok(await postJson(w.slug, await body(ctx, w.office.id, { email: undefined, phone })), 201) as { reference: string }).reference;
    await post('07700 900301');
    expect(await acksOf(w.office.id)).toEqual([]); // no SMS set up
    await setUpSms(w.admin.api, null);
    const ref = await post('07700 900302');
    await post('020 7946 0301'); // a London landline
    await applyKeyword(ctx.database.db, systemScope(ctx.database.db, w.office.id, 'test'), { phone: '+447700900303', word: 'STOP', kind: 'stop', messageSid: uniq('SM'), body: 'STOP', helpText: null, receivedAt: new Date() });
    await post('07700 900303');
    const acks = await acksOf(w.office.id);
    expect(acks).toEqual([expect.objectContaining({ channel: 'sms', to_address: '+447700900302' })]);
    // The tracking link goes too, within two segments, and opens the request's tracking page.
    const link = trackingLinkIn(acks[0]!.body_text, w.slug);
    expect(acks[0]!.body_text).toBe(`Test Office: thank you, we have your request as case ${ref}. Follow it at ${link} Please quote it if you contact us about it.`);
    expect(splitSms(acks[0]!.body_text).segments.length).toBeLessThanOrEqual(2);
    await expectTrackingPage(link, ref);
  });

  it('sends nothing to an address whose record on file may not be contacted, whatever the new sender', async () => {
    const w = await office();
    const email = `${uniq('dnc')}@home.example`;
    await createConstituent(ctx, w.office, { givenName: 'Dora', familyName: uniq('Private'), emails: [{ email }], doNotContact: true });
    ok(await postJson(w.slug, await body(ctx, w.office.id, { email })), 201);
    expect(await acksOf(w.office.id)).toEqual([]);
    ok(await postJson(w.slug, await body(ctx, w.office.id)), 201);
    expect(await acksOf(w.office.id)).toHaveLength(1);
  });
});
