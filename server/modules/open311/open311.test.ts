// Open311 GeoReport v2 end to end through HTTP: discovery, services and definitions, posting
// reports (validation, nothing stored on refusal, idempotency, tokens), reading requests
// (filters, window, paging, extensions), FixMyStreet's updates, admin of services and keys,
// isolation between jurisdictions, contact details that match a record on file (only
// suggested) and acknowledgements. XML answers are read with a real XML parser.
import fs from 'node:fs';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { XMLParser } from 'fast-xml-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOffice, createTestApp, randomIp, uniq, type TestContext } from '../../../test/harness.js';
import { sha256 } from '../../platform/auth/secrets.js';
import { projectRoot } from '../../platform/paths.js';
import { casework, ok, refused } from '../cases/cases.testkit.js';
import type { InboundItem } from '../../../contract/intake.js';
import { processItem, receive } from '../intake/intake.service.js';
import { registerIntakeReaders } from '../intake/intake.jobs.js';
import { expectNothingOf, personOnFile, traceOf } from '../intake/intake.testkit.js';
import { setUpSms } from '../sms/sms.testkit.js';
import { maskPathTokens } from '../../app.js';
import { isoInZone, toXml } from './open311.format.js';
import { officeOf } from './open311.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', OPEN311_POSTS_PER_MINUTE: '60' });
  registerIntakeReaders();
});
afterAll(() => ctx.close());

const LISTS = ['service', 'request', 'request_update', 'attribute', 'value', 'note', 'error', 'endpoint', 'format', 'answer'];
const xml = new XMLParser({ isArray: (name) => LISTS.includes(name), parseTagValue: false });
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

const ATTRIBUTES = [
  { code: 'depth', datatype: 'number', required: true, order: 2, description: 'How deep is it, in cm?' },
  { code: 'size', datatype: 'singlevaluelist', required: true, order: 1, description: 'How big?', values: [{ key: 'small', name: 'Small' }, { key: 'large', name: 'Large' }] },
  { code: 'hazards', datatype: 'multivaluelist', order: 3, description: 'Who is at risk?', values: [{ key: 'traffic', name: 'Traffic' }, { key: 'pedestrians', name: 'Pedestrians' }] },
  { code: 'seen_at', datatype: 'datetime', order: 4, description: 'When did you see it?' },
  { code: 'landmark', datatype: 'string', order: 5, description: 'Nearest landmark' },
  { code: 'more', datatype: 'text', order: 6, description: 'Anything else' },
];

type World = Awaited<ReturnType<typeof casework>> & { slug: string; key: string; potholes: string; graffiti: string; hidden: string };

async function world(): Promise<World> {
  const w = await casework(ctx);
  const category = async (name: string) => (ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq(name) }), 201) as { id: string }).id;
  const [potholes, graffiti, hidden] = [await category('Potholes'), await category('Graffiti'), await category('Internal')];
  ok(await w.admin.api('PUT', `/api/v1/open311/services/${potholes}`, { serviceCode: 'POTHOLE', description: 'Holes in the road', keywords: ['road', 'hole'], group: 'Streets', attributes: ATTRIBUTES }), 200);
  ok(await w.admin.api('PUT', `/api/v1/open311/services/${graffiti}`, { serviceCode: 'Graffiti (Offensive)', group: 'Streets' }), 200);
  const key = (ok(await w.admin.api('POST', '/api/v1/open311/keys', { name: 'FixMyStreet' }), 201) as { secret: string }).secret;
  return { ...w, slug: w.office.slug, key, potholes, graffiti, hidden };
}

function call(method: 'GET' | 'POST', path: string, o: { query?: Record<string, string>; form?: [string, string][]; headers?: Record<string, string>; body?: string; ip?: string } = {}) {
  const qs = o.query ? `?${new URLSearchParams(o.query).toString()}` : '';
  const payload = o.body ?? (o.form ? new URLSearchParams(o.form).toString() : undefined);
  return ctx.app.inject({
    method, url: `/open311/v2/${path}${qs}`, remoteAddress: o.ip ?? randomIp(),
    headers: { ...(payload !== undefined ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...o.headers }, ...(payload !== undefined ? { payload } : {}),
  });
}

const GOOD: [string, string][] = [['service_code', 'POTHOLE'], ['lat', '51.4523'], ['long', '-0.0201'], ['attribute[size]', 'large'], ['attribute[depth]', '12'], ['description', 'Deep hole outside number 12\nIt fills with water.']];
const report = (w: World, extra: [string, string][] = [], base = GOOD) => [['jurisdiction_id', w.slug], ['api_key', w.key], ...base, ...extra] as [string, string][];

async function post(w: World, extra: [string, string][] = [], format: 'json' | 'xml' = 'json', headers: Record<string, string> = {}): Promise<string> {
  const res = await call('POST', `requests.${format}`, { form: report(w, extra), headers });
  expect(res.statusCode, res.body).toBe(201);
  return format === 'json' ? res.json()[0].service_request_id : xml.parse(res.body).service_requests.request[0].service_request_id;
}

function o311Error(res: LightMyRequestResponse, status: number, text: RegExp, format: 'json' | 'xml' = 'json') {
  expect(res.statusCode, res.body).toBe(status);
  if (format === 'json') {
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = res.json();
    expect(body).toEqual([{ code: status, description: expect.stringMatching(text) }]);
  } else {
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(xml.parse(res.body).errors.error).toEqual([{ code: String(status), description: expect.stringMatching(text) }]);
  }
}

const itemCount = async (officeId: string) =>
  Number((await ctx.database.db.selectFrom('inbound_items').select(sql<string>`count(*)`.as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

/** A report stored as a post whose processing waits for the job: the client holds its token. */
async function storedReport(w: World): Promise<string> {
  const svc = await ctx.database.db.selectFrom('open311_services').select(['category_id']).where('office_id', '=', w.office.id).where('service_code', '=', 'POTHOLE').executeTakeFirstOrThrow();
  const raw = Buffer.from(new URLSearchParams(report(w)).toString());
  return (await receive(ctx.database.db, undefined, w.office.id, {
    channel: 'open311', source: 'http', key: uniq('k'), raw, rawType: 'application/x-www-form-urlencoded',
    details: { kind: 'report', categoryId: svc.category_id, serviceName: 'Potholes', region: 'GB', attributes: [], address: null, lat: 51.4, lng: -0.02, mediaUrl: null },
  })).id;
}

const caseOf = async (w: World, reference: string) =>
  ctx.database.db.selectFrom('cases').selectAll().where('office_id', '=', w.office.id).where('reference', '=', reference).executeTakeFirstOrThrow();

describe('discovery and services', () => {
  it('answers discovery in JSON and XML', async () => {
    const j = await call('GET', 'discovery.json');
    expect(j.statusCode).toBe(200);
    expect(j.json()).toMatchObject({ endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: expect.stringMatching(/\/open311\/v2$/), formats: ['text/xml', 'application/json'] }] });
    const x = await call('GET', 'discovery.xml');
    expect(x.headers['content-type']).toMatch(/^text\/xml/);
    expect(x.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<discovery>')).toBe(true);
    expect(xml.parse(x.body).discovery.endpoints.endpoint[0].formats.format).toEqual(['text/xml', 'application/json']);
    o311Error(await call('GET', 'discovery.csv'), 404, /json or \.xml/, 'xml');
  });

  it('lists the published services of the jurisdiction only, with codes as strings, in both formats', async () => {
    const w = await world();
    const j = await call('GET', 'services.json', { query: { jurisdiction_id: w.slug } });
    expect(j.statusCode).toBe(200);
    const services = j.json() as { service_code: string; service_name: string; metadata: boolean; keywords: string; group: string; type: string }[];
    expect(services.map((s) => s.service_code)).toEqual(['Graffiti (Offensive)', 'POTHOLE']);
    expect(services[1]).toMatchObject({ service_name: expect.stringMatching(/^Potholes/), metadata: true, keywords: 'road,hole', group: 'Streets', type: 'realtime', description: 'Holes in the road' });
    expect(services[0]!.metadata).toBe(false);
    const x = xml.parse((await call('GET', 'services.xml', { query: { jurisdiction_id: w.slug } })).body);
    expect(x.services.service.map((s: { service_code: string; metadata: string }) => [s.service_code, s.metadata])).toEqual([['Graffiti (Offensive)', 'false'], ['POTHOLE', 'true']]);
    // A retired category stops being a service.
    ok(await w.admin.api('PATCH', `/api/v1/case-categories/${w.graffiti}`, { retired: true }), 200);
    expect((await call('GET', 'services.json', { query: { jurisdiction_id: w.slug } })).json().map((s: { service_code: string }) => s.service_code)).toEqual(['POTHOLE']);
  });

  it('describes a service with its attributes in order, and 404s an unknown one', async () => {
    const w = await world();
    const j = (await call('GET', 'services/POTHOLE.json', { query: { jurisdiction_id: w.slug } })).json();
    expect(j.service_code).toBe('POTHOLE');
    expect(j.attributes.map((a: { code: string }) => a.code)).toEqual(['size', 'depth', 'hazards', 'seen_at', 'landmark', 'more']);
    expect(j.attributes[0]).toEqual({ variable: true, code: 'size', datatype: 'singlevaluelist', required: true, datatype_description: '', order: 1, description: 'How big?', values: [{ key: 'small', name: 'Small' }, { key: 'large', name: 'Large' }] });
    const x = xml.parse((await call('GET', `services/${encodeURIComponent('Graffiti (Offensive)')}.xml`, { query: { jurisdiction_id: w.slug } })).body);
    expect(x.service_definition.service_code).toBe('Graffiti (Offensive)');
    const p = xml.parse((await call('GET', 'services/POTHOLE.xml', { query: { jurisdiction_id: w.slug } })).body);
    expect(p.service_definition.attributes.attribute[0].values.value).toEqual([{ key: 'small', name: 'Small' }, { key: 'large', name: 'Large' }]);
    o311Error(await call('GET', 'services/NOPE.json', { query: { jurisdiction_id: w.slug } }), 404, /NOPE/);
    o311Error(await call('GET', 'services/NOPE.xml', { query: { jurisdiction_id: w.slug } }), 404, /NOPE/, 'xml');
  });

  it('needs jurisdiction_id when the deployment has several offices, and 404s an unknown one', async () => {
    o311Error(await call('GET', 'services.json'), 400, /jurisdiction_id is required/);
    o311Error(await call('GET', 'services.xml', { query: { jurisdiction_id: 'no-such-office' } }), 404, /no-such-office/, 'xml');
    // Empty parameters count as absent.
    o311Error(await call('GET', 'services.json', { query: { jurisdiction_id: '' } }), 400, /jurisdiction_id is required/);
  });

  it('lets a single-office deployment leave jurisdiction_id out', async () => {
    const only = await createOffice(ctx);
    const registry = { getBySlug: async () => undefined, count: async () => 1, list: async () => [only] };
    expect(await officeOf(ctx.database.db, undefined, registry)).toBe(only);
    await expect(officeOf(ctx.database.db, undefined, { ...registry, count: async () => 2 })).rejects.toMatchObject({ status: 400 });
    await expect(officeOf(ctx.database.db, 'elsewhere', registry)).rejects.toMatchObject({ status: 404 });
  });

  it('limits calls per client address (OPEN311_POSTS_PER_MINUTE), answering 429 in the Open311 format', async () => {
    const ip = randomIp();
    const codes: number[] = [];
    for (let i = 0; i < 60; i++) codes.push((await call('POST', 'requests.json', { form: [['service_code', 'X']], ip })).statusCode);
    expect(codes.every((c) => c === 400)).toBe(true);
    const limited = await call('POST', 'requests.xml', { form: [['service_code', 'X']], ip });
    o311Error(limited, 429, /Rate limit/, 'xml');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await call('POST', 'requests.json', { form: [['service_code', 'X']] })).statusCode).toBe(400);
  });
});

describe('posting a request', () => {
  it('opens a case in the service category with the location, sender and attributes, and answers its id', async () => {
    const w = await world();
    ok(await w.admin.api('POST', '/api/v1/sla/policies', { priority: 'normal', firstResponseMinutes: 60, resolutionMinutes: 600 }), 201);
    const id = await post(w, [['email', 'Grace@Resident.example'], ['first_name', 'Grace'], ['last_name', 'Hopper'], ['phone', '020 7946 0001'], ['attribute[hazards][]', 'traffic'], ['attribute[hazards][]', 'pedestrians'], ['media_url', 'https://photos.example/1.jpg'], ['address_string', '12 Mill Lane']]);
    expect(id).toMatch(/^C-\d{4}-\d{5,}$/);
    const c = await caseOf(w, id);
    expect(c).toMatchObject({ category_id: w.potholes, channel: 'open311', lat: 51.4523, lng: -0.0201, address: '12 Mill Lane', description: 'Deep hole outside number 12\nIt fills with water.' });
    expect(c.subject).toMatch(/^Potholes.*: Deep hole outside number 12$/);
    const page = ok(await w.admin.api('GET', `/api/v1/cases/${c.id}`), 200) as { requester: { name: string } | null };
    expect(page.requester?.name).toBe('Grace Hopper');
    const item = await ctx.database.db.selectFrom('inbound_items').selectAll().where('office_id', '=', w.office.id).where('case_id', '=', c.id).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ channel: 'open311', status: 'filed', raw_type: 'application/x-www-form-urlencoded', sender_address: 'grace@resident.example' });
    expect(item.raw.toString()).toContain('attribute%5Bhazards%5D%5B%5D=traffic');

    const got = (await call('GET', `requests/${id}.json`, { query: { jurisdiction_id: w.slug } })).json();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      service_request_id: id, status: 'open', service_code: 'POTHOLE', service_name: expect.stringMatching(/^Potholes/), lat: 51.4523, long: -0.0201,
      address: '12 Mill Lane', media_url: 'https://photos.example/1.jpg', agency_responsible: 'Test Office', description: 'Deep hole outside number 12\nIt fills with water.',
      requested_datetime: expect.stringMatching(ISO), updated_datetime: expect.stringMatching(ISO),
    });
    expect(c.resolution_due_at).not.toBeNull();
    expect(got[0].expected_datetime).toBe(isoInZone(c.resolution_due_at!, 'Europe/London'));
    expect(JSON.stringify(got)).not.toMatch(/grace|hopper/i);
  });

  it('answers in XML, and takes posts without any optional field', async () => {
    const w = await world();
    const res = await call('POST', 'requests.xml', { form: report(w, [], [['service_code', 'pothole'], ['address_string', '1 High St'], ['attribute[size]', 'small'], ['attribute[depth]', '3']]) });
    expect(res.statusCode).toBe(201);
    const body = xml.parse(res.body);
    expect(body.service_requests.request[0].service_request_id).toMatch(/^C-/);
    const c = await caseOf(w, body.service_requests.request[0].service_request_id);
    expect(c).toMatchObject({ requester_id: null, address: '1 High St', description: '' });
  });

  it('treats empty optional parameters as absent', async () => {
    const w = await world();
    const id = await post(w, [['email', ''], ['phone', ''], ['first_name', ''], ['media_url', ''], ['attribute[hazards][]', '']]);
    expect((await caseOf(w, id)).requester_id).toBeNull();
  });

  it('refuses bad posts with a clear 400, 403 or 404 in the asked format, storing nothing', async () => {
    const w = await world();
    const before = await itemCount(w.office.id);
    const without = (k: string) => report(w).filter(([key]) => key !== k);
    const other = await world();
    const revoked = (ok(await w.admin.api('POST', '/api/v1/open311/keys', { name: 'Old' }), 201) as { key: { id: string }; secret: string });
    ok(await w.admin.api('POST', `/api/v1/open311/keys/${revoked.key.id}/revoke`), 200);
    const refusals: [[string, string][], number, RegExp][] = [
      [without('api_key'), 403, /api_key is required/],
      [report(w, [['api_key', 'o311_wrong']]).filter(([k], i, all) => k !== 'api_key' || all.findIndex(([x]) => x === 'api_key') !== i), 403, /not valid/],
      [report(w).map(([k, v]) => [k, k === 'api_key' ? other.key : v]), 403, /not valid/],
      [report(w).map(([k, v]) => [k, k === 'api_key' ? revoked.secret : v]), 403, /not valid/],
      [report(w).map(([k, v]) => [k, k === 'jurisdiction_id' ? 'nowhere' : v]), 404, /nowhere/],
      [without('service_code'), 400, /service_code is required/],
      [report(w).map(([k, v]) => [k, k === 'service_code' ? 'NOPE' : v]), 400, /"NOPE" is not a service/],
      [without('lat').filter(([k]) => k !== 'long'), 400, /location is required/],
      [without('long'), 400, /lat and long/],
      [report(w).map(([k, v]) => [k, k === 'lat' ? '123' : v]), 400, /lat must be a number from -90 to 90/],
      [report(w).map(([k, v]) => [k, k === 'description' ? 'x'.repeat(10_000) : v]), 400, /description is longer than 4000/],
      [report(w).map(([k, v]) => [k, k === 'attribute[size]' ? 'huge' : v]), 400, /attribute\[size\] must be one of small, large/],
      [without('attribute[depth]'), 400, /attribute\[depth\] is required/],
      [report(w).map(([k, v]) => [k, k === 'attribute[depth]' ? 'deep' : v]), 400, /attribute\[depth\] must be a number/],
      [report(w, [['attribute[hazards][]', 'cats']]), 400, /attribute\[hazards\] must be one of/],
      [report(w, [['attribute[colour]', 'red']]), 400, /not an attribute of this service/],
      [report(w, [['attribute[seen_at]', 'yesterday']]), 400, /ISO 8601/],
      [report(w, [['email', 'not-an-email']]), 400, /email/],
      [report(w, [['phone', 'call me']]), 400, /phone/],
      [report(w, [['media_url', 'javascript:alert(1)']]), 400, /media_url/],
      [report(w, [['address_id', 'UPRN-NONE']]), 400, /address_id "UPRN-NONE"/],
    ];
    for (const [form, status, text] of refusals) {
      o311Error(await call('POST', 'requests.json', { form }), status, text);
      o311Error(await call('POST', 'requests.xml', { form }), status, text, 'xml');
    }
    o311Error(await call('POST', 'requests.json', { body: JSON.stringify({ service_code: 'POTHOLE' }), headers: { 'content-type': 'application/json' } }), 400, /x-www-form-urlencoded/);
    o311Error(await call('POST', 'requests.json', { body: 'x', headers: { 'content-type': 'text/plain' } }), 400, /content-type|media type/i);
    o311Error(await call('POST', 'requests.json', { body: `a=${'x'.repeat(70_000)}` }), 413, /larger|too large/i);
    expect(await itemCount(w.office.id)).toBe(before);
  });

  it('recognises a retry with the same Idempotency-Key, refuses the key with another body, and keeps identical posts without one apart', async () => {
    const w = await world();
    const headers = { 'idempotency-key': uniq('retry') };
    const first = await post(w, [], 'json', headers);
    expect(await post(w, [], 'json', headers)).toBe(first);
    expect(await itemCount(w.office.id)).toBe(1);
    o311Error(await call('POST', 'requests.json', { form: report(w, [['description', 'Another']]).filter(([k, v]) => k !== 'description' || v === 'Another'), headers }), 400, /different request/);
    o311Error(await call('POST', 'requests.json', { form: report(w), headers: { 'idempotency-key': 'bad key with spaces' } }), 400, /Idempotency-Key/);
    // Two residents may send the very same report: both are kept.
    const a = await post(w);
    const b = await post(w);
    expect(new Set([first, a, b]).size).toBe(3);
    expect(await itemCount(w.office.id)).toBe(3);
  });

  it('resolves a token to the request once the item is processed, and 404s unknown or foreign tokens', async () => {
    const w = await world();
    const stored = { id: await storedReport(w) };
    const pending = await call('GET', `tokens/${stored.id}.json`, { query: { jurisdiction_id: w.slug } });
    expect(pending.json()).toEqual([{ service_request_id: '', token: stored.id }]);
    await processItem(ctx.database.db, w.office.id, stored.id);
    const done = (await call('GET', `tokens/${stored.id}.json`, { query: { jurisdiction_id: w.slug } })).json();
    expect(done[0].service_request_id).toMatch(/^C-/);
    const x = xml.parse((await call('GET', `tokens/${stored.id}.xml`, { query: { jurisdiction_id: w.slug } })).body);
    expect(x.service_requests.request[0]).toEqual({ service_request_id: done[0].service_request_id, token: stored.id });
    const other = await world();
    o311Error(await call('GET', `tokens/${stored.id}.json`, { query: { jurisdiction_id: other.slug } }), 404, /token/);
    o311Error(await call('GET', 'tokens/not-a-token.xml', { query: { jurisdiction_id: w.slug } }), 404, /token/, 'xml');
  });

  it('stops resolving a token once its request leaves the feed: made sensitive, or its service withdrawn', async () => {
    const w = await world();
    const q = { jurisdiction_id: w.slug };
    const [madeSensitive, withdrawn] = [await storedReport(w), await storedReport(w)];
    for (const token of [madeSensitive, withdrawn]) await processItem(ctx.database.db, w.office.id, token);
    const reference = (await call('GET', `tokens/${madeSensitive}.json`, { query: q })).json()[0].service_request_id as string;
    expect(reference).toMatch(/^C-/);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${(await caseOf(w, reference)).id}`, { isSensitive: true }), 200);
    o311Error(await call('GET', `tokens/${madeSensitive}.json`, { query: q }), 404, /token/);
    expect((await call('GET', `tokens/${withdrawn}.json`, { query: q })).json()[0].service_request_id).toMatch(/^C-/);
    ok(await w.admin.api('DELETE', `/api/v1/open311/services/${w.potholes}`), 204);
    o311Error(await call('GET', `tokens/${withdrawn}.xml`, { query: q }), 404, /token/, 'xml');
  });

  it('stores the post without its api_key, still recognises a retry, and refuses a key in the URL', async () => {
    const w = await world();
    const headers = { 'idempotency-key': uniq('retry') };
    const id = await post(w, [], 'json', headers);
    const item = await ctx.database.db.selectFrom('inbound_items').selectAll().where('office_id', '=', w.office.id).executeTakeFirstOrThrow();
    expect(item.raw.toString()).not.toMatch(/api_key/);
    expect(item.raw.toString()).not.toContain(w.key);
    expect(new URLSearchParams(item.raw.toString()).get('service_code')).toBe('POTHOLE');
    expect(await post(w, [], 'json', headers)).toBe(id);
    expect(await itemCount(w.office.id)).toBe(1);
    // The same post with the key in the URL: refused before anything is stored.
    const form = report(w).filter(([k]) => k !== 'api_key');
    o311Error(await call('POST', 'requests.json', { form, query: { api_key: w.key } }), 400, /form body/);
    o311Error(await call('POST', 'servicerequestupdates.xml', { form: [['jurisdiction_id', w.slug], ['service_request_id', id], ['description', 'Hi']], query: { api_key: w.key } }), 400, /form body/, 'xml');
    expect(await itemCount(w.office.id)).toBe(1);
  });

  it('masks an api_key query parameter in logged URLs, however it is spelled', () => {
    expect(maskPathTokens('/open311/v2/servicerequestupdates.json?jurisdiction_id=x&api_key=o311_secret&start_date=2026-12-01'))
      .toBe('/open311/v2/servicerequestupdates.json?jurisdiction_id=x&api_key=[redacted]&start_date=2026-12-01');
    expect(maskPathTokens('/open311/v2/requests.json?api%5Fkey=o311_secret')).toBe('/open311/v2/requests.json?api%5Fkey=[redacted]');
    expect(maskPathTokens('/open311/v2/requests.json?API_KEY=o311_secret#x')).toBe('/open311/v2/requests.json?API_KEY=[redacted]#x');
    expect(maskPathTokens('/open311/v2/requests.json?q=api_key%3Dx&my_api_key=1')).toBe('/open311/v2/requests.json?q=api_key%3Dx&my_api_key=1');
  });
});

describe('reading requests', () => {
  async function three(w: World) {
    const a = await post(w);
    const b = await post(w, [['landmark', 'x']].map(([k, v]) => [`attribute[${k!}]`, v!] as [string, string]));
    const c = await post(w, [], 'json');
    return [a, b, c];
  }

  it('lists requests newest first with status, window, service and id filters, and pages', async () => {
    const w = await world();
    const [a, b, c] = await three(w);
    const q = { jurisdiction_id: w.slug };
    const all = (await call('GET', 'requests.json', { query: q })).json() as { service_request_id: string; status: string; status_notes: string }[];
    expect(all.map((r) => r.service_request_id)).toEqual([c, b, a]);
    // A resolved case is "closed", with its resolution summary as status notes.
    const caseA = await caseOf(w, a!);
    ok(await w.admin.api('POST', `/api/v1/cases/${caseA.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled in on Tuesday' }), 200);
    const closed = (await call('GET', 'requests.json', { query: { ...q, status: 'closed' } })).json();
    expect(closed).toEqual([expect.objectContaining({ service_request_id: a, status: 'closed', status_notes: 'Filled in on Tuesday', expected_datetime: '' })]);
    expect((await call('GET', 'requests.json', { query: { ...q, status: 'open' } })).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([c, b]);
    // Ids override the other filters; unknown ids are left out.
    expect((await call('GET', 'requests.json', { query: { ...q, service_request_id: `${a},${c},C-1999-99999`, status: 'open' } })).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([c, a]);
    expect((await call('GET', 'requests.json', { query: { ...q, service_code: 'Graffiti (Offensive)' } })).json()).toEqual([]);
    // Paging.
    const page = (n: number) => call('GET', 'requests.json', { query: { ...q, page_size: '2', page: String(n) } });
    expect((await page(1)).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([c, b]);
    expect((await page(2)).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([a]);
    // The window: a case from 100 days ago is outside the default 90 days, inside an explicit one.
    await ctx.database.db.updateTable('cases').set({ created_at: new Date(Date.now() - 100 * 86_400_000) }).where('office_id', '=', w.office.id).where('id', '=', caseA.id).execute();
    expect((await call('GET', 'requests.json', { query: q })).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([c, b]);
    const start = new Date(Date.now() - 120 * 86_400_000).toISOString();
    expect((await call('GET', 'requests.json', { query: { ...q, start_date: start } })).json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([a]);
    // XML: one request is still a list.
    const x = xml.parse((await call('GET', 'requests.xml', { query: { ...q, service_request_id: b! } })).body);
    expect(x.service_requests.request).toHaveLength(1);
    expect(x.service_requests.request[0]).toMatchObject({ service_request_id: b, status: 'open', service_code: 'POTHOLE', lat: '51.4523', long: '-0.0201', requested_datetime: expect.stringMatching(ISO) });
  });

  it('refuses bad filters with 400', async () => {
    const w = await world();
    const q = { jurisdiction_id: w.slug };
    const now = Date.now();
    for (const [query, text] of [
      [{ start_date: new Date(now - 100 * 86_400_000).toISOString(), end_date: new Date(now).toISOString() }, /at most 90 days/],
      [{ start_date: new Date(now).toISOString(), end_date: new Date(now - 86_400_000).toISOString() }, /before end_date/],
      [{ start_date: 'last tuesday' }, /ISO 8601/],
      [{ status: 'pending' }, /open or closed/],
      [{ service_code: 'NOPE' }, /NOPE/],
      [{ page_size: '1001' }, /page_size/],
      [{ page: '0' }, /page must/],
    ] as const) {
      o311Error(await call('GET', 'requests.json', { query: { ...q, ...query } }), 400, text);
      o311Error(await call('GET', 'requests.xml', { query: { ...q, ...query } }), 400, text, 'xml');
    }
    o311Error(await call('GET', 'requests/C-1999-00001.json', { query: q }), 404, /C-1999-00001/);
  });

  it('never shows sensitive cases or cases of unpublished categories', async () => {
    const w = await world();
    const id = await post(w);
    const hidden = await w.open({ categoryId: w.hidden });
    const c = await caseOf(w, id);
    ok(await w.admin.api('PATCH', `/api/v1/cases/${c.id}`, { isSensitive: true }), 200);
    expect((await call('GET', 'requests.json', { query: { jurisdiction_id: w.slug } })).json()).toEqual([]);
    o311Error(await call('GET', `requests/${id}.json`, { query: { jurisdiction_id: w.slug } }), 404, /not found/);
    o311Error(await call('GET', `requests/${hidden.reference}.json`, { query: { jurisdiction_id: w.slug } }), 404, /not found/);
  });

  it('publishes only requests that came in through Open311, never an email case of a published service', async () => {
    const w = await world();
    const since = new Date(Date.now() - 1000).toISOString();
    const q = { jurisdiction_id: w.slug };
    const mine = await post(w);
    const email = await w.open({ categoryId: w.potholes, channel: 'email', subject: 'Private: my neighbour', description: 'Confidential story', location: { address: '3 Secret Row' } });
    for (const c of [await caseOf(w, mine), email]) {
      ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: `Done ${c.reference}` }), 200);
    }
    o311Error(await call('GET', `requests/${email.reference}.json`, { query: q }), 404, /not found/);
    o311Error(await call('GET', `requests/${email.reference}.xml`, { query: { ...q, extensions: 'true' } }), 404, /not found/, 'xml');
    const ids = (res: LightMyRequestResponse) => (res.json() as { service_request_id: string }[]).map((r) => r.service_request_id);
    expect(ids(await call('GET', 'requests.json', { query: q }))).toEqual([mine]);
    expect(ids(await call('GET', 'requests.json', { query: { ...q, service_code: 'POTHOLE', status: 'closed' } }))).toEqual([mine]);
    expect(ids(await call('GET', 'requests.json', { query: { ...q, service_request_id: `${email.reference},${mine}` } }))).toEqual([mine]);
    const updates = await call('GET', 'servicerequestupdates.json', { query: { ...q, start_date: since } });
    expect(ids(updates)).toEqual([mine]);
    expect(updates.body).not.toMatch(/neighbour|Confidential|Secret Row/);
    expect(updates.body).not.toContain(email.reference);
    const before = await itemCount(w.office.id);
    const form: [string, string][] = [['jurisdiction_id', w.slug], ['api_key', w.key], ['service_request_id', email.reference], ['description', 'Tell me more']];
    o311Error(await call('POST', 'servicerequestupdates.json', { form }), 404, /not found/);
    expect(await itemCount(w.office.id)).toBe(before);
  });

  it('adds extended attributes and the public history with extensions=true', async () => {
    const w = await world();
    const id = await post(w, [['attribute[hazards][]', 'traffic'], ['attribute[hazards][]', 'pedestrians']]);
    const c = await caseOf(w, id);
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'open', comment: 'internal remark' }), 200);
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/notes`, { body: 'Staff-only note' }), 201);
    const plain = (await call('GET', `requests/${id}.json`, { query: { jurisdiction_id: w.slug } })).json();
    expect(plain[0].extended_attributes).toBeUndefined();
    const ext = (await call('GET', `requests/${id}.json`, { query: { jurisdiction_id: w.slug, extensions: 'true' } })).json()[0].extended_attributes;
    expect(ext.attributes).toEqual([{ code: 'size', values: ['large'] }, { code: 'depth', values: ['12'] }, { code: 'hazards', values: ['traffic', 'pedestrians'] }]);
    expect(ext.notes.map((n: { status: string; description: string }) => [n.status, n.description])).toEqual([['open', 'Request received'], ['open', 'Status: New → Open']]);
    expect(JSON.stringify(ext)).not.toMatch(/internal remark|Staff-only/);
    const x = xml.parse((await call('GET', `requests/${id}.xml`, { query: { jurisdiction_id: w.slug, extensions: 'true' } })).body);
    expect(x.service_requests.request[0].extended_attributes.notes.note).toHaveLength(2);
    expect(x.service_requests.request[0].extended_attributes.attributes.attribute[2].values.value).toEqual(['traffic', 'pedestrians']);
  });
});

describe('service request updates', () => {
  it('threads a posted update onto the request and lists updates since a date, with the same update id', async () => {
    const w = await world();
    const since = new Date(Date.now() - 1000).toISOString();
    const id = await post(w);
    const c = await caseOf(w, id);
    ok(await w.admin.api('POST', `/api/v1/cases/${c.id}/status`, { status: 'resolved', resolutionCode: 'resolved', resolutionSummary: 'Filled' }), 200);
    const res = await call('POST', 'servicerequestupdates.json', { form: [['jurisdiction_id', w.slug], ['api_key', w.key], ['service_request_id', id], ['description', 'Still a hole!'], ['status', 'CLOSED'], ['email', 'ada@resident.example']] });
    expect(res.statusCode, res.body).toBe(201);
    const updateId = res.json()[0].update_id as string;
    // The resident's update reopened the resolved case (intake's rule), and sits on its timeline.
    expect((await caseOf(w, id)).status).toBe('open');
    const updates = (await call('GET', 'servicerequestupdates.json', { query: { jurisdiction_id: w.slug, start_date: since } })).json() as { update_id: string; service_request_id: string; status: string; description: string; updated_datetime: string }[];
    expect(updates.map((u) => [u.service_request_id, u.status, u.description])).toEqual([
      [id, 'closed', 'Status: New → Resolved (Resolved as requested): Filled'], [id, 'open', 'Still a hole!'], [id, 'open', expect.stringMatching(/^Reopened/)],
    ]);
    expect(updates[1]!.update_id).toBe(updateId);
    expect(updates[0]!.updated_datetime).toMatch(ISO);
    const x = xml.parse((await call('GET', 'servicerequestupdates.xml', { query: { jurisdiction_id: w.slug, start_date: since } })).body);
    expect(x.service_request_updates.request_update.map((u: { update_id: string }) => u.update_id)).toEqual(updates.map((u) => u.update_id));
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await call('GET', 'servicerequestupdates.json', { query: { jurisdiction_id: w.slug, start_date: later } })).json()).toEqual([]);
  });

  it('refuses updates without a key, for unknown requests or without text, storing nothing', async () => {
    const w = await world();
    const id = await post(w);
    const before = await itemCount(w.office.id);
    const form = (extra: [string, string][]) => [['jurisdiction_id', w.slug], ['api_key', w.key], ['service_request_id', id], ['description', 'Hi'], ...extra] as [string, string][];
    o311Error(await call('POST', 'servicerequestupdates.json', { form: form([]).filter(([k]) => k !== 'api_key') }), 403, /api_key/);
    o311Error(await call('POST', 'servicerequestupdates.xml', { form: form([]).map(([k, v]) => [k, k === 'service_request_id' ? 'C-1999-00001' : v]) }), 404, /C-1999-00001/, 'xml');
    o311Error(await call('POST', 'servicerequestupdates.json', { form: form([]).filter(([k]) => k !== 'description') }), 400, /description is required/);
    expect(await itemCount(w.office.id)).toBe(before);
  });
});

describe('jurisdictions', () => {
  it("keeps each office's services, requests, tokens and updates to itself", async () => {
    const a = await world();
    const b = await world();
    const idB = await post(b);
    o311Error(await call('GET', `requests/${idB}.json`, { query: { jurisdiction_id: a.slug } }), 404, /not found/);
    expect((await call('GET', 'requests.json', { query: { jurisdiction_id: a.slug, service_request_id: idB } })).json()).toEqual([]);
    expect((await call('GET', 'requests.json', { query: { jurisdiction_id: a.slug } })).json()).toEqual([]);
    // B's key does not post into A, nor A's into B; an update to B's request through A is 404.
    o311Error(await call('POST', 'requests.json', { form: report(a).map(([k, v]) => [k, k === 'api_key' ? b.key : v]) }), 403, /not valid/);
    o311Error(await call('POST', 'servicerequestupdates.json', { form: [['jurisdiction_id', a.slug], ['api_key', a.key], ['service_request_id', idB], ['description', 'x']] }), 404, /not found/);
    expect((await call('GET', 'servicerequestupdates.json', { query: { jurisdiction_id: a.slug } })).json()).toEqual([]);
    expect(await itemCount(a.office.id)).toBe(0);
  });
});

describe('administration', () => {
  it('shows a key secret once, keeps only its hash, and lets only intake admins manage keys and services', async () => {
    const w = await world();
    const created = ok(await w.manager.api('POST', '/api/v1/open311/keys', { name: 'Partner' }), 201) as { key: { id: string; prefix: string }; secret: string };
    expect(created.secret).toMatch(/^o311_/);
    const row = await ctx.database.db.selectFrom('open311_keys').selectAll().where('office_id', '=', w.office.id).where('id', '=', created.key.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret);
    const listed = ok(await w.admin.api('GET', '/api/v1/open311/keys'), 200) as { items: object[] };
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(listed.items).toHaveLength(2);
    refused(await w.caseworker.api('POST', '/api/v1/open311/keys', { name: 'x' }), 403, 'forbidden');
    refused(await w.caseworker.api('PUT', `/api/v1/open311/services/${w.hidden}`, { serviceCode: 'X' }), 403, 'forbidden');
  });

  it('validates service definitions', async () => {
    const w = await world();
    const put = (body: object, id = w.hidden) => w.admin.api('PUT', `/api/v1/open311/services/${id}`, body);
    refused(await put({ serviceCode: 'X', attributes: [{ code: 'k', datatype: 'singlevaluelist', description: 'Kind' }] }), 400, 'validation_failed', 'attributes.0.values');
    refused(await put({ serviceCode: 'X', attributes: [{ code: 'bad code', datatype: 'string', description: 'x' }] }), 400, 'validation_failed', 'attributes.0.code');
    refused(await put({ serviceCode: 'X', attributes: [{ code: 'a', datatype: 'colour', description: 'x' }] }), 400, 'validation_failed', 'attributes.0.datatype');
    refused(await put({ serviceCode: 'pothole' }), 409, 'conflict', 'serviceCode');
    refused(await put({ serviceCode: 'X' }, '00000000-0000-7000-8000-000000000000'), 404, 'not_found');
    const published = ok(await put({ serviceCode: 'Internal' }), 200) as { serviceCode: string; attributes: unknown[] };
    expect(published).toMatchObject({ serviceCode: 'Internal', attributes: [] });
    expect((ok(await w.admin.api('GET', '/api/v1/open311/services'), 200) as { items: { serviceCode: string }[] }).items.map((s) => s.serviceCode)).toEqual(['Graffiti (Offensive)', 'Internal', 'POTHOLE']);
    ok(await w.admin.api('DELETE', `/api/v1/open311/services/${w.hidden}`), 204);
    refused(await w.admin.api('DELETE', `/api/v1/open311/services/${w.hidden}`), 404, 'not_found');
  });
});

describe('real FixMyStreet reports', () => {
  type Sample = { service_code: string; lat: string; long: string; description: string; media_url?: string; requested_datetime: string; status: string };
  // The first 20 of its 58 reports (11 services, among them codes with "/", "&" and brackets): enough, and quick under load.
  const sample = (JSON.parse(fs.readFileSync(path.join(projectRoot, '../shared/data/open311/fixmystreet-requests-sample.json'), 'utf8')) as Sample[]).slice(0, 20);

  it('takes every report of a real GET requests answer and gives back the same fields in the same shape', async () => {
    const w = await world();
    // world() already publishes "Graffiti (Offensive)", one of the sample's codes.
    for (const code of [...new Set(sample.map((r) => r.service_code))].filter((c) => c !== 'Graffiti (Offensive)')) {
      const id = (ok(await w.admin.api('POST', '/api/v1/case-categories', { name: uniq(code) }), 201) as { id: string }).id;
      ok(await w.admin.api('PUT', `/api/v1/open311/services/${id}`, { serviceCode: code }), 200);
    }
    // Codes with slashes, ampersands and brackets work in URLs too.
    expect((await call('GET', `services/${encodeURIComponent('Parks/Landscapes')}.json`, { query: { jurisdiction_id: w.slug } })).json().service_code).toBe('Parks/Landscapes');
    const ids: string[] = [];
    for (const r of [...sample].reverse()) {
      const form: [string, string][] = [['jurisdiction_id', w.slug], ['api_key', w.key], ['service_code', r.service_code], ['lat', r.lat], ['long', r.long], ['description', r.description], ['media_url', r.media_url ?? '']];
      const res = await call('POST', 'requests.json', { form });
      expect(res.statusCode, res.body).toBe(201);
      ids.push(res.json()[0].service_request_id);
    }
    const got = (await call('GET', 'requests.json', { query: { jurisdiction_id: w.slug, page_size: '100' } })).json() as Record<string, unknown>[];
    expect(got).toHaveLength(sample.length);
    // Newest first: the reverse of the order posted, which is the sample's own order.
    expect(got.map((r) => r.service_request_id)).toEqual([...ids].reverse());
    got.forEach((r, i) => {
      const want = sample[i]!;
      expect(r).toMatchObject({ service_code: want.service_code, status: want.status, lat: Number(want.lat), long: Number(want.long), description: want.description, media_url: want.media_url ?? '' });
    });
    // Every GeoReport v2 field the real answer has, ours has too, with times in the same format.
    const spec = Object.keys(sample[0]!).filter((k) => !['title', 'detail', 'interface_used', 'agency_sent_datetime', 'comment_count'].includes(k));
    for (const k of spec) expect(got[0]).toHaveProperty(k);
    expect(sample[0]!.requested_datetime).toMatch(ISO);
    expect(got[0]!.requested_datetime).toMatch(ISO);
  });
});

describe('contact details that match a record on file', () => {
  it('files the report on a provisional record of its own, only suggesting the record with that email and phone, and answers nothing of it', async () => {
    const w = await world();
    const { person, kase, email } = await personOnFile(ctx, w);
    const before = await traceOf(ctx, w.office.id, person.id);
    const typed: [string, string][] = [['email', email.toUpperCase()], ['phone', '07700 900456'], ['first_name', 'Mallory'], ['last_name', 'Typed'], ['account_id', 'fms-77']];
    const json = await call('POST', 'requests.json', { form: report(w, typed) });
    const x = await call('POST', 'requests.xml', { form: report(w, typed) });
    expect([json.statusCode, x.statusCode]).toEqual([201, 201]);
    const [answer] = json.json() as Record<string, unknown>[];
    expect(Object.keys(answer!).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    const id = answer!.service_request_id as string;
    const got = await call('GET', `requests/${id}.json`, { query: { jurisdiction_id: w.slug, extensions: 'true' } });
    for (const res of [json, x, got]) expectNothingOf(res.body, person, kase);
    expect(await traceOf(ctx, w.office.id, person.id)).toEqual(before);

    const c = await caseOf(w, id);
    const itemId = (await ctx.database.db.selectFrom('inbound_items').select('id').where('office_id', '=', w.office.id).where('case_id', '=', c.id).executeTakeFirstOrThrow()).id;
    const item = ok(await w.caseworker.api('GET', `/api/v1/inbox/${itemId}`), 200) as InboundItem;
    expect(item).toMatchObject({ status: 'filed', constituent: { displayName: 'Mallory Typed', provisional: true }, suggestedSender: { id: person.id, displayName: person.displayName } });
    expect(c.requester_id).toBe(item.constituent!.id);
    // Merged by staff who know it is her: the request becomes hers.
    ok(await w.admin.api('POST', `/api/v1/inbox/${itemId}/merge-sender`, { constituentId: person.id }), 200);
    expect((await caseOf(w, id)).requester_id).toBe(person.id);
    expect((await traceOf(ctx, w.office.id, person.id)).items).toEqual([itemId]);
  });

  it('files an update posted with her email on the request, not on her record', async () => {
    const w = await world();
    const { person } = await personOnFile(ctx, w, '+447700900457');
    const id = await post(w);
    const before = await traceOf(ctx, w.office.id, person.id);
    const res = await call('POST', 'servicerequestupdates.json', { form: [['jurisdiction_id', w.slug], ['api_key', w.key], ['service_request_id', id], ['description', 'Any news?'], ['email', person.emails[0]!.email]] });
    expect(res.statusCode, res.body).toBe(201);
    expect(await traceOf(ctx, w.office.id, person.id)).toEqual(before);
    const item = ok(await w.caseworker.api('GET', `/api/v1/inbox/${res.json()[0].update_id}`), 200) as InboundItem;
    expect(item).toMatchObject({ status: 'filed', case: { reference: id }, constituent: { provisional: true }, suggestedSender: { id: person.id } });
  });
});

describe('acknowledgements', () => {
  const acksOf = (officeId: string) =>
    ctx.database.db.selectFrom('outbound_messages').select(['channel', 'to_address', 'subject', 'body_text']).where('office_id', '=', officeId).where('kind', '=', 'acknowledgement').orderBy('created_at').execute();

  it('emails the address in the report, else texts its mobile once the office sends texts', async () => {
    const w = await world();
    const byMail = await post(w, [['email', 'rosa@resident.example'], ['phone', '07700 900311']]);
    await post(w, [['phone', '07700 900312']]);
    expect((await acksOf(w.office.id)).map((a) => [a.channel, a.to_address, a.subject])).toEqual([['email', 'rosa@resident.example', `[${byMail}] We have received your request`]]);
    await setUpSms(w.admin.api, null);
    const byText = await post(w, [['phone', '07700 900313']]);
    expect((await acksOf(w.office.id)).at(-1)).toMatchObject({ channel: 'sms', to_address: '+447700900313', body_text: expect.stringContaining(`as case ${byText}.`) });
    // A report without contact details is acknowledged to nobody.
    await post(w);
    expect(await acksOf(w.office.id)).toHaveLength(2);
  });
});

describe('formats', () => {
  it('writes times with the office offset and XML without characters XML cannot carry', () => {
    expect(isoInZone(new Date('2026-07-01T12:00:00Z'), 'Europe/London')).toBe('2026-07-01T13:00:00+01:00');
    expect(isoInZone(new Date('2026-12-01T12:00:00Z'), 'Europe/London')).toBe('2026-12-01T12:00:00+00:00');
    expect(isoInZone(new Date('2026-12-01T12:00:00Z'), 'America/New_York')).toBe('2026-12-01T07:00:00-05:00');
    const doc = toXml('service_requests', [{ description: 'a < b & "c"\u0001', lat: 1.5, notes: [] }]);
    expect(xml.parse(doc).service_requests.request[0]).toEqual({ description: 'a < b & "c"', lat: '1.5', notes: '' });
    // A lone surrogate half (a description cut mid-emoji) goes; a whole pair stays.
    const cut = toXml('service_requests', [{ description: 'hole \uD800 here \uDFFF end 😀' }]);
    expect(cut).not.toMatch(/[\uD800-\uDFFF]/u); // with u, only a half without its pair matches
    expect(xml.parse(cut).service_requests.request[0].description).toBe('hole  here  end 😀');
  });
});

