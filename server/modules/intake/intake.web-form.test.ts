// The public request form: categories with a signed form token, requests as JSON and as a
// plain HTML form post, idempotent resubmits, the honeypot, the minimum fill time, floods per
// address and per email, oversize bodies, bad fields, and offices kept apart.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../../../contract/cases.js';
import type { InboundItemSummary } from '../../../contract/intake.js';
import { createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import { issueFormToken } from './intake.form-token.js';

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
