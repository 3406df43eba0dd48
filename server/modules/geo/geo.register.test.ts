import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { asSession, createOffice, createTestApp, createUser, signIn, type TestContext } from '../../../test/harness.js';
import { systemScope } from '../../platform/scope.js';
import { loadConfig } from '../../config.js';
import { geocoderFromConfig, nominatimGeocoder, setGeocoder } from './geo.geocoder.js';
import { importRegister } from './geo.register.js';
import { geocode } from './geo.service.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx.close());
afterEach(() => setGeocoder(null));

async function admin() {
  const office = await createOffice(ctx);
  const session = await signIn(ctx, await createUser(ctx, office, 'admin'));
  const upload = (csv: string | Buffer, contentType = 'text/csv', query = '') =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/geo/register/import${query}`, payload: csv, headers: { cookie: session.cookie, 'x-csrf-token': session.csrf, 'content-type': contentType } });
  return { office, api: asSession(ctx, session), upload };
}

const registerRows = async (officeId: string) =>
  ctx.database.db.selectFrom('address_register').select(['external_id', 'line1', 'postcode', 'lat', 'lng']).where('office_id', '=', officeId).orderBy('line1').execute();

const HEADER = 'UPRN,Address 1,Address 2,Town,Zip,Latitude,Longitude,Notes\n';

describe('address register import', () => {
  it('imports good rows, reports bad ones by row and column, and upserts on re-import', async () => {
    const { office, upload } = await admin();
    const csv = HEADER + [
      '100,1 Catford Road,,London,SE6 4RU,51.4450,-0.0200,a',
      '101,"2 Catford Rd, rear",,London,SE6 4RU,51.4451,-0.0201,"multi\nline note"',
      '102,,,London,SE6 4RU,51.4,-0.02,missing line1',
      '103,3 Catford Road,,London,SE6 4RU,951.4,-0.02,lat outside the world',
      '104,4 Catford Road,,London,SE6 4RU,51.4,east,lng not a number',
      '100,1 Catford Road again,,London,SE6 4RU,51.4,-0.02,duplicate uprn',
      ',5 High Street,,London,SE13 5AB,51.46,-0.01,no uprn',
      ',5 High St.,,London,SE13 5AB,51.46,-0.01,same address again',
      `106,${'x'.repeat(10_000)},,London,SE6,51.4,-0.02,too long`,
      '107,7 Catford Road,,London,SE6 4RU,51.4',
    ].join('\n');
    const res = await upload(csv);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r).toMatchObject({ rows: 10, created: 3, updated: 0, unchanged: 0, rejected: 7, ignoredColumns: ['Notes'] });
    expect(r.errors).toEqual([
      { row: 4, column: 'line1', reason: 'is missing' },
      { row: 5, column: 'lat', reason: '951.4 is outside the world (must be between -90 and 90)' },
      { row: 6, column: 'lng', reason: '"east" is not a number' },
      { row: 7, column: 'external_id', reason: 'repeats row 2' },
      { row: 9, column: 'line1', reason: 'repeats row 8' },
      { row: 10, column: 'line1', reason: 'is longer than 200 characters' },
      { row: 11, column: '*', reason: 'has 6 fields but the header has 8' },
    ]);
    expect((await registerRows(office.id)).map((x) => [x.external_id, x.line1])).toEqual([['100', '1 Catford Road'], ['101', '2 Catford Rd, rear'], [null, '5 High Street']]);

    // Again with one coordinate moved and one new row: upsert by UPRN and by address key.
    const again = await upload(HEADER + ['100,1 Catford Road,,London,SE6 4RU,51.4460,-0.0200,', '101,"2 Catford Rd, rear",,London,SE6 4RU,51.4451,-0.0201,', ',5 high street,,London,SE13 5AB,51.47,-0.01,', '108,8 Catford Road,,London,SE6 4RU,51.44,-0.02,'].join('\n'));
    expect(again.json()).toMatchObject({ rows: 4, created: 1, updated: 2, unchanged: 1, rejected: 0, errors: [] });
    const rows = await registerRows(office.id);
    expect(rows).toHaveLength(4);
    expect(rows.find((x) => x.external_id === '100')!.lat).toBe(51.446);
    expect(rows.find((x) => x.external_id === null)).toMatchObject({ line1: '5 high street', lat: 51.47 });
  });

  it('refuses a file without the required columns, an empty file, or broken CSV, writing nothing', async () => {
    const { office, upload } = await admin();
    const noLat = await upload('line1,postcode,lng\n1 Road,AB1 2CD,1\n');
    expect(noLat.statusCode).toBe(400);
    expect(noLat.json()).toMatchObject({ code: 'validation_failed', field: 'header' });
    expect(noLat.json().detail).toMatch(/no lat column \(also accepted: latitude\)/);
    expect((await upload('')).json()).toMatchObject({ status: 400, field: 'header' });
    expect((await upload('lat,latitude,line1,lng\n1,1,a,1\n')).json().detail).toMatch(/both give lat/);
    const broken = await upload('line1,lat,lng\n1 Road,51,0\n"2 Road,51,0\n');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().detail).toMatch(/not valid CSV/);
    expect(await registerRows(office.id)).toEqual([]);
    expect((await upload('{"line1":"x"}', 'application/json')).statusCode).toBe(415);
    expect((await upload('line1=x', 'text/plain')).statusCode).toBe(415);
  });

  it('reads Windows-1252 and UTF-16 files and flags bytes that are not UTF-8', async () => {
    const { office, upload } = await admin();
    const text = 'line1,postcode,lat,lng\n1 Rue de la Paix Café,SE6 4RU,51.44,-0.02\n';
    expect((await upload(iconv.encode(text, 'windows-1252'), 'text/csv; charset=windows-1252')).json()).toMatchObject({ created: 1 });
    expect((await registerRows(office.id))[0]!.line1).toBe('1 Rue de la Paix Café');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace('1 Rue', '2 Rue'), 'utf-16le')]);
    expect((await upload(utf16)).json()).toMatchObject({ created: 1 });
    const latin = await upload(iconv.encode(text.replace('1 Rue', '3 Rue'), 'latin1'));
    expect(latin.json()).toMatchObject({ created: 0, rejected: 1, errors: [{ row: 2, column: 'line1', reason: expect.stringMatching(/not valid UTF-8/) }] });
    expect((await upload(text, 'text/csv', '?encoding=ebcdic')).statusCode).toBe(400);
  });

  it('stops at the size limit and writes nothing', async () => {
    const office = await createOffice(ctx);
    const rows = Array.from({ length: 3000 }, (_, k) => `${k} Long Road,AB1 2CD,51.1,-1.1`).join('\n');
    const source = Readable.from([Buffer.from(`line1,postcode,lat,lng\n${rows}\n`)]);
    await expect(importRegister(systemScope(ctx.database.db, office.id), source, { maxBytes: 10_000 })).rejects.toMatchObject({ code: 'payload_too_large' });
    expect(await registerRows(office.id)).toEqual([]);
  });

  it('is for admins: a caseworker may search the register but not import it', async () => {
    const { office } = await admin();
    const cw = await signIn(ctx, await createUser(ctx, office, 'caseworker'));
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/geo/register/import', payload: 'line1,lat,lng\na,1,1\n', headers: { cookie: cw.cookie, 'x-csrf-token': cw.csrf, 'content-type': 'text/csv' } });
    expect(res.statusCode).toBe(403);
    expect(await registerRows(office.id)).toEqual([]);
    expect((await asSession(ctx, cw)('GET', '/api/v1/geo/addresses?q=catford')).statusCode).toBe(200);
  });
});

describe('geocoding and autocomplete', () => {
  const REGISTER = 'uprn,line1,line2,locality,postcode,lat,lng\n' + [
    '1,12 High Street,,Riverside,RV1 2AB,52.1001,-1.2001',
    '2,14 High Street,,Riverside,RV1 2AB,52.1002,-1.2002',
    '3,Flat 3,Mill House,Riverside,RV1 2AC,52.1003,-1.2003',
    '4,Rose Cottage,Mill Lane,Riverside,RV1 3AA,52.1004,-1.2004',
    '5,2 Station Road,,Elsewhere,RV9 9ZZ,52.2,-1.3',
  ].join('\n');

  it('finds exact matches (whatever the abbreviations), fuzzy ones in the same postcode, and nothing else', async () => {
    const { office, upload } = await admin();
    expect((await upload(REGISTER)).json()).toMatchObject({ created: 5 });
    const g = (line1: string, postcode: string | null, line2: string | null = null) => geocode(ctx.database.db, office.id, { line1, line2, postcode });
    expect(await g('12 High St.', 'rv1 2ab')).toEqual({ lat: 52.1001, lng: -1.2001, source: 'register' });
    expect(await g('Flat 3', 'RV1 2AC', 'Mill House')).toEqual({ lat: 52.1003, lng: -1.2003, source: 'register' });
    expect(await g('14 Hihg Stret', 'RV1 2AB')).toEqual({ lat: 52.1002, lng: -1.2002, source: 'register' }); // typos
    expect(await g('Rose Cotage', 'RV1 3AA', 'Mill Lane')).toMatchObject({ lat: 52.1004, source: 'register' });
    expect(await g('16 High Street', 'RV1 2AB')).toBeNull(); // the house next door is not this one
    expect(await g('14 Hihg Stret', 'RV1 2AC')).toBeNull(); // not in that postcode
    expect(await g('12 High Street', null)).toBeNull(); // fuzzy needs a postcode; no exact key without it
    expect(await g('  ', 'RV1 2AB')).toBeNull();
    const other = await createOffice(ctx);
    expect(await geocode(ctx.database.db, other.id, { line1: '12 High Street', postcode: 'RV1 2AB' })).toBeNull(); // another office's register
  });

  it('falls back to the configured Nominatim-compatible geocoder, and copes with it failing', async () => {
    const { office } = await admin();
    const asked: string[] = [];
    let mode: 'found' | 'none' | 'error' | 'slow' = 'found';
    const server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      if (mode === 'error') return void res.writeHead(500).end('boom');
      if (mode === 'slow') return void setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('[]'), 2000);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(mode === 'found' ? [{ lat: '51.5', lon: '-0.12', display_name: 'x' }] : []));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const errors: unknown[] = [];
      setGeocoder(nominatimGeocoder(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { timeoutMs: 500, onError: (e) => errors.push(e) }));
      const a = { line1: '10 Downing Street', locality: 'London', postcode: 'SW1A 2AA' };
      expect(await geocode(ctx.database.db, office.id, a)).toEqual({ lat: 51.5, lng: -0.12, source: 'geocoder' });
      expect(new URL(asked[0]!, 'http://x').searchParams.get('q')).toBe('10 Downing Street, London, SW1A 2AA');
      expect(new URL(asked[0]!, 'http://x').searchParams.get('format')).toBe('jsonv2');
      mode = 'none';
      expect(await geocode(ctx.database.db, office.id, a)).toBeNull();
      mode = 'error';
      expect(await geocode(ctx.database.db, office.id, a)).toBeNull();
      mode = 'slow';
      expect(await geocode(ctx.database.db, office.id, a)).toBeNull();
      expect(errors).toHaveLength(2);
      setGeocoder(null);
      mode = 'found';
      expect(await geocode(ctx.database.db, office.id, a)).toBeNull(); // no geocoder configured: offline
    } finally {
      server.close();
    }
  });

  it('takes the geocoder from GEOCODER_URL, and has none without it', () => {
    expect(geocoderFromConfig(loadConfig({}))).toBeNull();
    const c = loadConfig({ GEOCODER_URL: 'https://nominatim.example.org/', GEOCODER_TIMEOUT_MS: '2500' });
    expect(c).toMatchObject({ geocoderUrl: 'https://nominatim.example.org/', geocoderTimeoutMs: 2500 });
    expect(geocoderFromConfig(c)?.name).toBe('nominatim https://nominatim.example.org');
    expect(() => loadConfig({ GEOCODER_URL: 'ftp://geocoder.example.org' })).toThrow(/GEOCODER_URL/);
    expect(() => loadConfig({ GEOCODER_TIMEOUT_MS: '0' })).toThrow(/GEOCODER_TIMEOUT_MS/);
  });

  it('suggests register addresses by prefix, postcode or similarity, at most 10', async () => {
    const { upload, api } = await admin();
    await upload(REGISTER + '\n' + Array.from({ length: 15 }, (_, k) => `${100 + k},${k + 20} High Street,,Riverside,RV1 2AD,52.1,-1.2`).join('\n'));
    const q = async (text: string) => (await api('GET', `/api/v1/geo/addresses?q=${encodeURIComponent(text)}`)).json().items as { line1: string; postcode: string }[];
    expect((await q('12 high st'))[0]).toMatchObject({ line1: '12 High Street', postcode: 'RV1 2AB' });
    expect((await q('RV1 2AC'))[0]).toMatchObject({ line1: 'Flat 3' }); // then similar postcodes
    expect((await q('rose cotage')).map((a) => a.line1)).toContain('Rose Cottage');
    expect(await q('High Street')).toHaveLength(10);
    expect(await q('zzzz qqqq')).toEqual([]);
    expect((await api('GET', '/api/v1/geo/addresses?q=a')).json()).toMatchObject({ status: 400, field: 'q' });
  });
});
