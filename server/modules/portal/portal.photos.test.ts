// Photos on the portal through HTTP, with real image bytes: reports and comments posted as
// multipart/form-data in English and Spanish, the photos' GPS position used as the report's
// point (and refused outside the office's wards), every stored and served photo stripped of
// EXIF, disguised, oversized and too many files refused with a message on the field and
// nothing stored, resubmits storing photos once, a crash before processing still ending with
// the photos on the case, and photos only ever served through their own request's link.
import exifr from 'exifr';
import sharp from 'sharp';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, randomIp, tokenFor, uniq, type TestContext } from '../../../test/harness.js';
import { ok, squareWard, type Staff } from '../cases/cases.testkit.js';
import { storePending } from '../attachments/attachments.intake.js';
import { processItem, receive } from '../intake/intake.service.js';
import { aged, get, HTML, portalOffice, redirected, reportFields, textOf } from './portal.testkit.js';

let ctx: TestContext;
const PHOTO_MAX = 300_000;
beforeAll(async () => {
  ctx = await createTestApp({
    RATE_LIMIT_PER_MINUTE: '100000', INTAKE_FORM_PER_IP_PER_HOUR: '1000', INTAKE_FORM_PER_EMAIL_PER_HOUR: '1000',
    PORTAL_PHOTO_MAX_BYTES: String(PHOTO_MAX), PORTAL_PHOTOS_MAX_TOTAL_BYTES: '1000000',
  });
});
afterAll(() => ctx.close());

/** A real JPEG, with EXIF (camera make and, if given, the GPS position) as a phone writes it. */
async function jpeg(gps?: { lat: number; lng: number }, colour = '#c0392b'): Promise<Buffer> {
  const dms = (v: number) => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    return `${d}/1 ${m}/1 ${Math.round(((a - d) * 60 - m) * 60 * 100)}/100`;
  };
  const exif = {
    IFD0: { Make: 'TestPhone', Model: 'Camera 1' },
    ...(gps ? { IFD3: { GPSLatitudeRef: gps.lat >= 0 ? 'N' : 'S', GPSLatitude: dms(gps.lat), GPSLongitudeRef: gps.lng >= 0 ? 'E' : 'W', GPSLongitude: dms(gps.lng) } } : {}),
  };
  return sharp({ create: { width: 64, height: 48, channels: 3, background: colour } }).jpeg().withExif(exif).toBuffer();
}

// What exifr reads from a PNG's own header chunk: not metadata.
const PNG_HEADER = new Set(['ImageWidth', 'ImageHeight', 'BitDepth', 'ColorType', 'Compression', 'Filter', 'Interlace']);
/** The EXIF (or other metadata) exifr finds in the image, if any. */
const metadataOf = async (bytes: Buffer) => Object.keys((await exifr.parse(bytes)) ?? {}).filter((k) => !PNG_HEADER.has(k));

type Upload = { name: string; bytes: Buffer; type?: string };

/** A form as a browser posts it with files: multipart/form-data. */
async function postMultipart(url: string, fields: Record<string, string>, files: Upload[], ip = randomIp()) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append('photos', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'image/jpeg' }), f.name);
  const request = new Request('http://portal.test/', { method: 'POST', body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  return ctx.app.inject({ method: 'POST', url, payload, remoteAddress: ip, headers: { ...HTML, 'content-type': request.headers.get('content-type')! } });
}

const count = async (table: 'inbound_items' | 'case_attachments', officeId: string) =>
  Number((await ctx.database.db.selectFrom(table).select(sql<string>`count(*)`.as('n')).where('office_id', '=', officeId).executeTakeFirstOrThrow()).n);

/** Sends a report with photos; the confirmation page, the tracking path and the case. */
async function reportWithPhotos(slug: string, officeId: string, files: Upload[], lang = 'en', overrides: Record<string, string> = {}) {
  const fields = await reportFields(ctx, officeId, overrides);
  const confirmation = redirected(await postMultipart(`/portal/${slug}/report?lang=${lang}`, fields, files));
  const page = await get(ctx, confirmation);
  const trackPath = new URL(/<a href="(https?:\/\/[^"]+\/track\/[^"]+)"/.exec(page.body)![1]!).pathname;
  const reference = /C-\d{4}-\d{5,}/.exec(page.body)![0];
  const kase = await ctx.database.db.selectFrom('cases').selectAll().where('office_id', '=', officeId).where('reference', '=', reference).executeTakeFirstOrThrow();
  return { fields, trackPath, kase };
}

/** The photo links on a tracking page (full and thumbnail) and their alt texts. */
const photosOn = (html: string) => [...html.matchAll(/<a href="([^"]+\/photos\/[^"?]+)"><img src="([^"]+)" alt="([^"]+)"/g)].map((m) => ({ href: m[1]!, thumb: m[2]!.replace(/&amp;/g, '&'), alt: m[3]! }));

/** The bytes of a case attachment as staff download them. */
async function staffDownload(staff: Staff, caseId: string, id: string): Promise<Buffer> {
  const res = await ctx.app.inject({ method: 'GET', url: `/api/v1/cases/${caseId}/attachments/${id}`, headers: { authorization: `Bearer ${await tokenFor(ctx, staff.user, ['case.read'])}` } });
  expect(res.statusCode).toBe(200);
  return res.rawPayload;
}

type Attachments = { items: { id: string; fileName: string; contentType: string; uploadedBy: string }[] };

describe('reporting with photos', () => {
  for (const lang of ['en', 'es'] as const) {
    it(`files a report with two photos as case attachments, stripped of EXIF, shown on the tracking page (${lang})`, async () => {
      const w = await portalOffice(ctx);
      const form = await get(ctx, `/portal/${w.slug}/report?lang=${lang}&category=other&step=details`);
      expect(form.body).toContain('encType="multipart/form-data"');
      expect(form.body).toContain('<label for="photos">');
      expect(form.body).toContain('<input type="file" id="photos" multiple="" accept="image/jpeg,image/png,image/webp" aria-describedby="photos-hint" name="photos"/>');
      expect(textOf(form.body)).toContain(lang === 'en' ? 'Up to 5 photos in JPEG, PNG or WebP format, each up to 0.3 MB and 1 MB in all' : 'Hasta 5 fotos en formato JPEG, PNG o WebP, de 0,3 MB como máximo cada una y 1 MB en total');
      const { kase, trackPath } = await reportWithPhotos(w.slug, w.office.id, [{ name: 'hole.jpg', bytes: await jpeg() }, { name: 'IMG_0002.JPG', bytes: await jpeg(undefined, '#2980b9') }], lang);
      const list = ok(await w.admin.api('GET', `/api/v1/cases/${kase.id}/attachments`), 200) as Attachments;
      expect(list.items.map((a) => a.fileName).sort()).toEqual(['IMG_0002.JPG', 'hole.jpg']);
      expect(list.items.every((a) => a.contentType === 'image/jpeg' && a.uploadedBy === 'Resident (portal)')).toBe(true);
      expect(await exifr.parse(await staffDownload(w.admin, kase.id, list.items[0]!.id))).toBeUndefined();

      const page = await get(ctx, `${trackPath}?lang=${lang}`);
      const photos = photosOn(page.body);
      expect(photos).toHaveLength(2);
      expect(photos[0]!.alt).toBe(lang === 'en' ? 'Photo 1 that you sent (opens the full photo)' : 'Foto 1 que usted envió (abre la foto completa)');
      for (const p of photos) {
        const full = await get(ctx, p.href);
        expect(full.statusCode).toBe(200);
        expect(full.headers['content-type']).toBe('image/jpeg');
        expect(full.headers['cache-control']).toBe('private, no-store');
        expect(await exifr.parse(full.rawPayload)).toBeUndefined();
        const thumb = await get(ctx, p.thumb);
        expect(thumb.statusCode).toBe(200);
        expect((await sharp(thumb.rawPayload).metadata()).width).toBe(64);
      }
    });
  }

  it('takes the report\'s point from the photo\'s GPS position when none was given, and stores the photo without any EXIF', async () => {
    const w = await portalOffice(ctx);
    const original = await jpeg({ lat: 40.44615, lng: -79.98222 });
    expect(await exifr.gps(original)).toMatchObject({ latitude: expect.closeTo(40.44615, 4) });
    const { kase } = await reportWithPhotos(w.slug, w.office.id, [{ name: 'where.jpg', bytes: original }]);
    expect(Number(kase.lat)).toBeCloseTo(40.44615, 4);
    expect(Number(kase.lng)).toBeCloseTo(-79.98222, 4);
    const list = ok(await w.admin.api('GET', `/api/v1/cases/${kase.id}/attachments`), 200) as Attachments;
    const stored = await staffDownload(w.admin, kase.id, list.items[0]!.id);
    expect(await exifr.parse(stored)).toBeUndefined();
    expect(await exifr.gps(stored)).toBeUndefined();
    expect(stored.includes(Buffer.from('TestPhone'))).toBe(false);
  });

  it('keeps a point the resident gave over the photo\'s, and refuses a photo taken outside the office\'s wards', async () => {
    const w = await portalOffice(ctx);
    await squareWard(w.admin);
    const inside = await reportWithPhotos(w.slug, w.office.id, [{ name: 'a.jpg', bytes: await jpeg({ lat: 0.5, lng: 0.5 }) }]);
    expect(Number(inside.kase.lat)).toBeCloseTo(0.5, 4);
    const marked = await reportWithPhotos(w.slug, w.office.id, [{ name: 'b.jpg', bytes: await jpeg({ lat: 0.5, lng: 0.5 }) }], 'en', { lat: '0.25', lng: '0.75' });
    expect([Number(marked.kase.lat), Number(marked.kase.lng)]).toEqual([0.25, 0.75]);
    const before = await count('inbound_items', w.office.id);
    const res = await postMultipart(`/portal/${w.slug}/report?lang=en`, await reportFields(ctx, w.office.id), [{ name: 'far.jpg', bytes: await jpeg({ lat: 40.4, lng: -79.9 }) }]);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain(`“far.jpg” was taken outside the area ${w.office.name} serves`);
    expect(res.body).toContain('href="#photos"');
    expect(await count('inbound_items', w.office.id)).toBe(before);
  });
});

describe('bad files', () => {
  it('refuses an .exe named .jpg with a message on the field in the resident\'s language, keeping what was typed and storing nothing', async () => {
    const w = await portalOffice(ctx);
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from('PE\0\0'), Buffer.alloc(400, 0x90)]);
    const fields = await reportFields(ctx, w.office.id, { description: 'Broken streetlight' });
    for (const [lang, text] of [['en', '“photo.jpg” is not a JPEG, PNG or WebP photo'], ['es', '«photo.jpg» no es una foto JPEG, PNG o WebP']] as const) {
      const res = await postMultipart(`/portal/${w.slug}/report?lang=${lang}`, fields, [{ name: 'ok.jpg', bytes: await jpeg() }, { name: 'photo.jpg', bytes: exe }]);
      expect(res.statusCode).toBe(400);
      expect(textOf(res.body)).toContain(text);
      expect(res.body).toContain('href="#photos"');
      expect(res.body).toContain('id="photos-error"');
      expect(res.body).toContain('id="photos" multiple="" accept="image/jpeg,image/png,image/webp" aria-describedby="photos-hint photos-error" aria-invalid="true"');
      expect(res.body).toContain('Broken streetlight');
    }
    expect(await count('inbound_items', w.office.id)).toBe(0);
    expect(await count('case_attachments', w.office.id)).toBe(0);
  });

  it('refuses a photo over the size limit, photos over the total limit and a sixth photo, storing nothing', async () => {
    const w = await portalOffice(ctx);
    const big = Buffer.concat([await jpeg(), Buffer.alloc(PHOTO_MAX)]);
    const res = await postMultipart(`/portal/${w.slug}/report?lang=en`, await reportFields(ctx, w.office.id), [{ name: 'huge.jpg', bytes: big }]);
    expect(res.statusCode).toBe(400);
    expect(textOf(res.body)).toContain('“huge.jpg” is larger than 0.3 MB. Choose a smaller photo');

    const quarter = Buffer.concat([await jpeg(), Buffer.alloc(250_000)]);
    const total = await postMultipart(`/portal/${w.slug}/report?lang=es`, await reportFields(ctx, w.office.id), [1, 2, 3, 4, 5].map((i) => ({ name: `q${i}.jpg`, bytes: quarter })));
    expect(total.statusCode).toBe(400);
    expect(textOf(total.body)).toContain('Sus fotos ocupan en total más de 1 MB');

    const six = await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => ({ name: `p${i}.jpg`, bytes: await jpeg() })));
    const many = await postMultipart(`/portal/${w.slug}/report?lang=en`, await reportFields(ctx, w.office.id), six);
    expect(many.statusCode).toBe(400);
    expect(textOf(many.body)).toContain('Choose up to 5 photos');
    expect(await count('inbound_items', w.office.id)).toBe(0);
    expect(await count('case_attachments', w.office.id)).toBe(0);
  });

  it('takes a multipart report whose file input was left empty, with no attachment', async () => {
    const w = await portalOffice(ctx);
    const fields = await reportFields(ctx, w.office.id);
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    form.append('photos', new Blob([]), '');
    const request = new Request('http://portal.test/', { method: 'POST', body: form });
    const res = await ctx.app.inject({ method: 'POST', url: `/portal/${w.slug}/report`, payload: Buffer.from(await request.arrayBuffer()), remoteAddress: randomIp(), headers: { ...HTML, 'content-type': request.headers.get('content-type')! } });
    redirected(res);
    expect(await count('case_attachments', w.office.id)).toBe(0);
  });
});

describe('nothing lost, nothing twice', () => {
  it('stores the photos of a resubmitted report once', async () => {
    const w = await portalOffice(ctx);
    const files = [{ name: 'a.jpg', bytes: await jpeg() }, { name: 'b.jpg', bytes: await jpeg(undefined, '#27ae60') }];
    const fields = await reportFields(ctx, w.office.id);
    const first = redirected(await postMultipart(`/portal/${w.slug}/report`, fields, files));
    const again = redirected(await postMultipart(`/portal/${w.slug}/report`, fields, files));
    const referenceOf = async (url: string) => /C-\d{4}-\d{5,}/.exec((await get(ctx, url)).body)?.[0];
    expect(await referenceOf(again)).toBe(await referenceOf(first));
    expect(await count('inbound_items', w.office.id)).toBe(1);
    expect(await count('case_attachments', w.office.id)).toBe(2);
  });

  it('puts the photos named by a stored item on its case when processing runs after a crash', async () => {
    const w = await portalOffice(ctx);
    const bytes = await sharp(await jpeg()).jpeg().toBuffer();
    const files = await storePending(w.office.id, [{ fileName: 'later.jpg', contentType: 'image/jpeg', bytes }]);
    const raw = { name: 'Ada', email: `${uniq('ada')}@resident.example`, phone: null, address: 'Mill Lane', lat: null, lng: null, categoryId: null, description: 'Pothole', photos: files.map(({ key: _key, ...p }) => p) };
    // Stored (with its photos named) and then the process died before processing it.
    const s = await receive(ctx.database.db, undefined, w.office.id, { channel: 'web', source: 'form', key: uniq('crash'), raw: Buffer.from(JSON.stringify(raw)), rawType: 'application/json', details: { photos: files } });
    expect(await count('case_attachments', w.office.id)).toBe(0);
    // The queued job runs it (twice: a redelivered job).
    expect((await processItem(ctx.database.db, w.office.id, s.id)).status).toBe('filed');
    await processItem(ctx.database.db, w.office.id, s.id);
    const item = await ctx.database.db.selectFrom('inbound_items').select('case_id').where('office_id', '=', w.office.id).where('id', '=', s.id).executeTakeFirstOrThrow();
    const list = ok(await w.admin.api('GET', `/api/v1/cases/${item.case_id}/attachments`), 200) as Attachments;
    expect(list.items.map((a) => a.fileName)).toEqual(['later.jpg']);
  });
});

describe('photos filed by staff', () => {
  it('brings an item\'s photos when staff open a case from it or attach it to a case from the inbox, once', async () => {
    const w = await portalOffice(ctx);
    const stored = async () => {
      const files = await storePending(w.office.id, [{ fileName: 'held.jpg', contentType: 'image/jpeg', bytes: await sharp(await jpeg()).jpeg().toBuffer() }]);
      const raw = { name: 'Ada', email: null, phone: null, address: null, lat: null, lng: null, categoryId: null, description: 'Held back', photos: files.map(({ key: _key, ...p }) => p) };
      const s = await receive(ctx.database.db, undefined, w.office.id, { channel: 'web', source: 'form', key: uniq('held'), raw: Buffer.from(JSON.stringify(raw)), rawType: 'application/json', details: { photos: files } });
      // Held for staff to decide (as triage does with an item it cannot file).
      await ctx.database.db.updateTable('inbound_items').set({ status: 'new' }).where('office_id', '=', w.office.id).where('id', '=', s.id).execute();
      return s.id;
    };
    const opened = ok(await w.admin.api('POST', `/api/v1/inbox/${await stored()}/create-case`, {}), 201) as { caseId: string };
    const target = await w.open();
    ok(await w.admin.api('POST', `/api/v1/inbox/${await stored()}/attach`, { caseId: target.id }), 200);
    for (const caseId of [opened.caseId, target.id]) {
      const list = ok(await w.admin.api('GET', `/api/v1/cases/${caseId}/attachments`), 200) as Attachments;
      expect(list.items.map((x) => x.fileName)).toEqual(['held.jpg']);
    }
  });
});

describe('comments with photos', () => {
  it('puts a comment\'s photo on the case\'s attachments and timeline, once, and lists it on the tracking page; a photo alone is a comment', async () => {
    const w = await portalOffice(ctx);
    const { kase, trackPath } = await reportWithPhotos(w.slug, w.office.id, [{ name: 'first.jpg', bytes: await jpeg() }]);
    const fields = { text: 'Now it is bigger', clientToken: uniq('c'), formToken: await aged(ctx, w.office.id) };
    const page = await get(ctx, trackPath);
    expect(page.body).toMatch(/<form noValidate="" action="[^"]+\/comments\?lang=en" encType="multipart\/form-data" method="post">/);
    expect(page.body).toContain('<label for="photos">Add photos (optional)</label>');
    const png = await sharp(await jpeg()).png().withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '1/1 0/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '1/1 0/1 0/1' } }).toBuffer();
    expect(await metadataOf(png)).toContain('GPSLatitude');
    const photo = [{ name: 'bigger.png', bytes: png, type: 'image/png' }];
    const ip = randomIp();
    expect(redirected(await postMultipart(`${trackPath}/comments?lang=en`, fields, photo, ip))).toBe(`${trackPath}?lang=en&comment=sent`);
    redirected(await postMultipart(`${trackPath}/comments?lang=en`, fields, photo, ip));
    const list = ok(await w.admin.api('GET', `/api/v1/cases/${kase.id}/attachments`), 200) as Attachments;
    expect(list.items.map((a) => a.fileName).sort()).toEqual(['bigger.png', 'first.jpg']);
    const timeline = ok(await w.admin.api('GET', `/api/v1/cases/${kase.id}/timeline`), 200) as { items: { action: string; entity?: string; after: { text?: string; fileName?: string } | null }[] };
    expect(timeline.items.some((e) => e.action === 'received' && e.after?.text === fields.text)).toBe(true);
    expect(timeline.items.filter((e) => e.action === 'added' && e.after?.fileName === 'bigger.png')).toHaveLength(1);

    const alone = { text: '', clientToken: uniq('c'), formToken: await aged(ctx, w.office.id) };
    redirected(await postMultipart(`${trackPath}/comments?lang=en`, alone, [{ name: 'third.webp', bytes: await sharp(await jpeg()).webp().toBuffer(), type: 'image/webp' }]));
    const photos = photosOn((await get(ctx, trackPath)).body);
    expect(photos).toHaveLength(3);
    const served = await get(ctx, photos[1]!.href);
    expect(served.headers['content-type']).toBe('image/png');
    expect(await metadataOf(served.rawPayload)).toEqual([]);
  });
});

describe('who may see the photos', () => {
  it('serves a photo only through its own request\'s link in its own office, and none of a sensitive case', async () => {
    const a = await portalOffice(ctx);
    const b = await portalOffice(ctx);
    const mine = await reportWithPhotos(a.slug, a.office.id, [{ name: 'mine.jpg', bytes: await jpeg() }]);
    const other = await reportWithPhotos(a.slug, a.office.id, [{ name: 'theirs.jpg', bytes: await jpeg() }]);
    const photo = photosOn((await get(ctx, mine.trackPath)).body)[0]!;
    const photoId = photo.href.split('/').at(-1)!;
    const theirs = photosOn((await get(ctx, other.trackPath)).body)[0]!.href.split('/').at(-1)!;
    const token = mine.trackPath.split('/').at(-1)!;
    expect((await get(ctx, photo.href)).statusCode).toBe(200);
    for (const url of [
      `/portal/${b.slug}/track/${token}/photos/${photoId}`, // another office's address
      `${mine.trackPath}/photos/${theirs}`, // another request's photo under this link
      `/portal/${a.slug}/track/${'x'.repeat(40)}/photos/${photoId}`, // a forged link
      `${mine.trackPath}/photos/not-a-uuid`,
    ]) {
      const res = await get(ctx, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    await ctx.database.db.updateTable('cases').set({ is_sensitive: true }).where('office_id', '=', a.office.id).where('id', '=', mine.kase.id).execute();
    expect(photosOn((await get(ctx, mine.trackPath)).body)).toHaveLength(0);
    expect((await get(ctx, photo.href)).statusCode).toBe(404);
  });
});
