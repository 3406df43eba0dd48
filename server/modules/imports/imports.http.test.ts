// Imports and export over HTTP: upload (streamed into chunks) → start → the imports.run job
// on pg-boss → progress → errors.csv; encodings chosen at start; tenancy; permissions; the
// CSV export of a search.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Import, ImportUploaded } from '../../../contract/imports.js';
import { asSession, createOffice, createTestApp, createUser, signIn, type Session, type TestContext } from '../../../test/harness.js';
import { importJob } from './imports.job.js';
import { csv } from './imports.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  ctx.jobs.define(importJob(ctx.database, { info: () => undefined, error: () => undefined }));
  await ctx.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
});
afterAll(() => ctx.close());

async function setup(role: 'admin' | 'manager' | 'caseworker' = 'admin') {
  const office = await createOffice(ctx);
  const user = await createUser(ctx, office, role);
  const session = await signIn(ctx, user);
  return { office, user, session, api: asSession(ctx, session) };
}

const put = (s: Session, id: string, body: string | Buffer, type = 'text/csv') =>
  ctx.app.inject({ method: 'PUT', url: `/api/v1/imports/${id}/file`, payload: body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': type } });

async function until<T>(f: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const HEAD = ['Voter ID', 'First name', 'Last name', 'Email', 'Ward note'];
const FILE = csv([HEAD, ['V1', 'Ada', 'Lovelace', 'ada@example.org', 'x'], ['V2', 'Bob', 'Byte', 'bad-email', 'y'], ['V3', '', '', 'c@example.org', 'z'], ['V4', 'Cy', 'Core', 'cy@example.org', 'line\nbreak']]);
const MAPPING = { columns: { 'Voter ID': 'externalId:voter_file', 'First name': 'givenName', 'Last name': 'familyName', Email: 'email', 'Ward note': 'ignore' }, tagSeparator: ';' };

async function uploaded(t: Awaited<ReturnType<typeof setup>>, body: string | Buffer = FILE) {
  const created = await t.api('POST', '/api/v1/imports', { fileName: 'voters.csv' });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const res = await put(t.session, id, body);
  expect(res.statusCode, res.body).toBe(200);
  return { id, upload: res.json() as ImportUploaded };
}

describe('import over HTTP', () => {
  it('uploads, shows headers and sample rows, runs as a job and reports rejected rows as CSV', async () => {
    const t = await setup('manager');
    const { id, upload } = await uploaded(t);
    expect(upload).toMatchObject({ status: 'uploading', headers: HEAD, encoding: 'utf8', totalBytes: Buffer.byteLength(FILE), encodingProblem: null });
    expect(upload.sample).toEqual([['V1', 'Ada', 'Lovelace', 'ada@example.org', 'x'], ['V2', 'Bob', 'Byte', 'bad-email', 'y'], ['V3', '', '', 'c@example.org', 'z'], ['V4', 'Cy', 'Core', 'cy@example.org', 'line\nbreak']]);
    const started = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: MAPPING });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json().status).toBe('queued');
    const done = await until(async () => {
      const r = (await t.api('GET', `/api/v1/imports/${id}`)).json() as Import;
      return r.status === 'completed' || r.status === 'failed' ? r : undefined;
    });
    expect(done).toMatchObject({ status: 'completed', rowsProcessed: 4, created: 2, updated: 0, unchanged: 0, rejected: 2, processedBytes: Buffer.byteLength(FILE), error: null });
    const errors = await t.api('GET', `/api/v1/imports/${id}/errors.csv`);
    expect(errors.statusCode).toBe(200);
    expect(errors.headers['content-type']).toMatch(/^text\/csv/);
    expect(errors.headers['content-disposition']).toBe('attachment; filename="voters-errors.csv"');
    expect(parse(errors.body, { bom: true })).toEqual([['row', 'column', 'reason'], ['3', 'Email', 'is not a valid email address'], ['4', 'First name', 'a person needs a given or family name']]);
    // The list shows it (newest first, cursor pages), and it cannot start twice.
    const newer = (await t.api('POST', '/api/v1/imports', { fileName: 'later.csv' })).json().id as string;
    const first = (await t.api('GET', '/api/v1/imports?limit=1')).json();
    expect(first.items.map((i: Import) => i.id)).toEqual([newer]);
    const second = (await t.api('GET', `/api/v1/imports?limit=1&cursor=${first.nextCursor}`)).json();
    expect([second.items.map((i: Import) => i.id), second.nextCursor]).toEqual([[id], null]);
    expect((await t.api('GET', '/api/v1/imports?cursor=garbage!')).statusCode).toBe(400);
    expect((await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: MAPPING })).statusCode).toBe(409);
    expect((await put(t.session, id, FILE)).statusCode).toBe(409);
  });

  it('asks for the encoding of a file that is not UTF-8, then reads it with the one chosen', async () => {
    const t = await setup();
    const latin = Buffer.from('id,family\n1,Müller\n2,Ødegård\n', 'latin1');
    const { id, upload } = await uploaded(t, latin);
    expect(upload.encoding).toBeNull();
    expect(upload.encodingProblem).toMatch(/not valid UTF-8 \(line 2, byte \d+ is 0xFC\).*windows-1252/);
    const map = { columns: { id: 'externalId:crm', family: 'familyName' } };
    const refused = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: map });
    expect([refused.statusCode, refused.json().field]).toEqual([400, 'encoding']);
    const ok = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: map, encoding: 'latin1' });
    expect(ok.statusCode, ok.body).toBe(202);
    await until(async () => ((await t.api('GET', `/api/v1/imports/${id}`)).json().status === 'completed' ? true : undefined));
    const found = (await t.api('GET', '/api/v1/constituents?q=Ødegård')).json().items;
    expect(found.map((c: { displayName: string }) => c.displayName)).toContain('Ødegård');
  });

  it('refuses a mapping that does not fit the file, naming the column, and bad uploads', async () => {
    const t = await setup();
    const { id } = await uploaded(t);
    const missing = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: { columns: { ...MAPPING.columns, Phone: 'phone' } } });
    expect([missing.statusCode, missing.json().field]).toEqual([400, 'mapping.columns.Phone']);
    expect(missing.json().detail).toMatch(/no column "Phone"/);
    const badTarget = await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: { columns: { 'Voter ID': 'shoeSize' } } });
    expect([badTarget.statusCode, badTarget.json().field]).toEqual([400, 'mapping.columns.Voter ID']);
    const created = (await t.api('POST', '/api/v1/imports', { fileName: 'x.csv' })).json();
    expect((await put(t.session, created.id, '')).statusCode).toBe(400);
    expect((await put(t.session, created.id, '{"a": 1}', 'application/json')).statusCode).toBe(415);
    expect((await put(t.session, created.id, 'a,b\n', 'text/plain')).statusCode).toBe(415);
    expect((await t.api('POST', `/api/v1/imports/${created.id}/start`, { mapping: MAPPING })).statusCode).toBe(409);
  });

  it('cancels a queued import, which then never runs', async () => {
    const t = await setup();
    const { id } = await uploaded(t);
    const cancelled = await t.api('POST', `/api/v1/imports/${id}/cancel`);
    expect([cancelled.statusCode, cancelled.json().status]).toEqual([200, 'cancelled']);
    expect((await t.api('POST', `/api/v1/imports/${id}/cancel`)).statusCode).toBe(409);
    expect((await t.api('GET', '/api/v1/constituents')).json().items).toEqual([]);
  });

  it("answers 404 for another office's import on every route", async () => {
    const [a, b] = [await setup(), await setup()];
    const { id } = await uploaded(b);
    for (const [method, url, body] of [['GET', `/api/v1/imports/${id}`], ['POST', `/api/v1/imports/${id}/start`, { mapping: MAPPING }], ['POST', `/api/v1/imports/${id}/cancel`], ['GET', `/api/v1/imports/${id}/errors.csv`]] as const) {
      expect((await a.api(method, url, body)).statusCode, url).toBe(404);
    }
    expect((await put(a.session, id, FILE)).statusCode).toBe(404);
    expect((await a.api('GET', '/api/v1/imports')).json().items).toEqual([]);
    expect((await b.api('GET', `/api/v1/imports/${id}`)).json().status).toBe('uploading');
  });

  it('lets only people with constituent.import import, and constituent.export export', async () => {
    const t = await setup('caseworker');
    expect((await t.api('POST', '/api/v1/imports', { fileName: 'x.csv' })).statusCode).toBe(403);
    expect((await t.api('GET', '/api/v1/imports')).statusCode).toBe(403);
    expect((await t.api('GET', '/api/v1/constituents/export.csv')).statusCode).toBe(403);
  });
});

describe('export', () => {
  it('streams the search result as CSV with every column, and audits who exported what', async () => {
    const t = await setup();
    const { id } = await uploaded(t, csv([['id', 'given', 'family', 'email', 'phone', 'street', 'postcode', 'tags'],
      ['V1', 'Ada', 'Lovelace', 'ada@example.org', '07700 900001', '12 High St', 'RV1 2AB', 'donor;volunteer'],
      ['V2', 'Bob', '=HYPERLINK("x")', 'bob@example.org', '', '', '', 'donor'],
      ['V3', 'Cy', 'Core', '', '', '', '', 'other']]));
    const map = { columns: { id: 'externalId:voter_file', given: 'givenName', family: 'familyName', email: 'email', phone: 'phone', street: 'line1', postcode: 'postcode', tags: 'tags' } };
    expect((await t.api('POST', `/api/v1/imports/${id}/start`, { mapping: map })).statusCode).toBe(202);
    await until(async () => ((await t.api('GET', `/api/v1/imports/${id}`)).json().status === 'completed' ? true : undefined));

    const res = await t.api('GET', '/api/v1/constituents/export.csv?tag=donor');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [head, ...rows] = parse(res.body, { bom: true }) as string[][];
    expect(head).toEqual(['id', 'kind', 'given_name', 'family_name', 'preferred_name', 'organisation_name', 'display_name', 'primary_email', 'primary_phone', 'primary_address', 'postcode', 'ward', 'tags', 'external_ids']);
    expect(rows.map((r) => [r[2], r[3], r[7], r[8], r[10], r[12], r[13]]).sort()).toEqual([
      ['Ada', 'Lovelace', 'ada@example.org', expect.stringMatching(/07700 ?900 ?001|\+447700900001/), 'RV1 2AB', 'donor;volunteer', 'voter_file:V1'],
      ['Bob', "'=HYPERLINK(\"x\")", 'bob@example.org', '', '', 'donor', 'voter_file:V2'],
    ]);
    const events = (await t.api('GET', '/api/v1/audit?entityType=constituent_export')).json().items;
    expect(events[0]).toMatchObject({ action: 'exported', after: { filters: { tag: 'donor' }, rows: 2, complete: true } });
    const bad = await t.api('GET', '/api/v1/constituents/export.csv?ward=not-a-uuid');
    expect([bad.statusCode, bad.json().field]).toEqual([400, 'ward']);
  });
});
