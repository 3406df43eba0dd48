// Case attachments through the HTTP API: upload streamed into storage with the type taken
// from the content, list, download headers, soft delete with the bytes purged, sensitive
// cases, other offices, and every refusal leaving nothing in the table or on disk.
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment } from '../../../contract/case-work.js';
import type { CaseTimelineEntry } from '../../../contract/cases.js';
import { createTestApp, tokenFor, type TestContext } from '../../../test/harness.js';
import { permissionsOf } from '../../platform/rbac.js';
import { casework, ok, refused, type Staff } from '../cases/cases.testkit.js';
import { purgeRemoved } from './attachments.service.js';

const LIMIT = 64 * 1024;
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ RATE_LIMIT_PER_MINUTE: '100000', UPLOAD_MAX_BYTES: String(LIMIT) });
});
afterAll(() => ctx.close());

const fixture = (name: string) => fs.readFileSync(path.join(import.meta.dirname, 'fixtures', name));
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const EXE = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), Buffer.alloc(60), Buffer.from('PE\0\0')]);
const EML = Buffer.from('Return-Path: <ada@example.test>\r\nFrom: Ada <ada@example.test>\r\nTo: office@example.test\r\nSubject: Pothole\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\n\r\nThe pothole is back.\r\n');

/** Every file stored under the test app's DATA_DIR/files. */
const storedFiles = () => {
  const dir = path.join(ctx.config.dataDir, 'files');
  return fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name)) : [];
};
const rowsOf = async (caseId: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM case_attachments WHERE case_id = ${caseId}`.execute(ctx.database.db)).rows[0]!.n;

function upload(as: Staff, caseId: string, body: Buffer | Readable, headers: Record<string, string> = {}, query = '') {
  return ctx.app.inject({
    method: 'POST', url: `/api/v1/cases/${caseId}/attachments${query}`, payload: body,
    headers: { ...headers, authorization: tokens.get(as)! },
  });
}
const tokens = new Map<Staff, string>();
async function world() {
  const w = await casework(ctx);
  for (const s of [w.admin, w.manager, w.caseworker, w.analyst, w.volunteer]) tokens.set(s, `Bearer ${await tokenFor(ctx, s.user, [...permissionsOf(s.user.role)])}`);
  return w;
}

describe('uploading', () => {
  it('stores a PDF sent with a lying Content-Type as a PDF, lists it and downloads it as an attachment', async () => {
    const w = await world();
    const c = await w.open();
    const a = ok(await upload(w.caseworker, c.id, PDF, { 'content-type': 'text/html' }, '?filename=Council%20reply.pdf'), 201) as Attachment;
    expect(a).toMatchObject({ caseId: c.id, fileName: 'Council reply.pdf', contentType: 'application/pdf', size: PDF.length, uploadedBy: expect.any(String) });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    const list = ok(await w.analyst.api('GET', `/api/v1/cases/${c.id}/attachments`), 200) as { items: Attachment[] };
    expect(list.items).toEqual([a]);
    const res = await w.analyst.api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Council reply.pdf"; filename*=UTF-8''Council%20reply.pdf`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(PDF)).toBe(true);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=change`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline[0]).toMatchObject({ kind: 'change', entityType: 'case_attachment', action: 'added', summary: `Attachment added: Council reply.pdf (${PDF.length} B)` });
  });

  it('detects images, office files, text, CSV and email from their content, and takes the name from Content-Disposition', async () => {
    const w = await world();
    const c = await w.open();
    const cases: [Buffer, Record<string, string>, string, string][] = [
      [PNG, { 'content-disposition': "attachment; filename*=UTF-8''Fot%C3%B6%20%E2%80%94%20pothole.png" }, 'Fotö — pothole.png', 'image/png'],
      [fixture('letter.docx'), { 'content-type': 'application/octet-stream', 'content-disposition': 'attachment; filename="letter.docx"' }, 'letter.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      [Buffer.from('Called back, no answer.\nWill try again — Thursday.\n'), {}, 'attachment.txt', 'text/plain'],
      [Buffer.from('street,count\nMill Lane,3\n'), { 'content-disposition': 'attachment; filename="counts.csv"' }, 'counts.csv', 'text/csv'],
      [EML, { 'content-type': 'message/rfc822' }, 'attachment.eml', 'message/rfc822'],
      // The extension follows the content: a PNG called .html downloads as .html.png.
      [PNG, { 'content-type': 'text/html', 'content-disposition': 'attachment; filename="page.html"' }, 'page.html.png', 'image/png'],
    ];
    for (const [body, headers, name, type] of cases) {
      const a = ok(await upload(w.caseworker, c.id, body, headers), 201) as Attachment;
      expect([a.fileName, a.contentType]).toEqual([name, type]);
    }
    const res = await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments?limit=10`);
    const text = (res.json() as { items: Attachment[] }).items.find((a) => a.fileName === 'attachment.txt')!;
    const dl = await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments/${text.id}`);
    expect(dl.headers['content-type']).toBe('text/plain; charset=utf-8');
    const page1 = ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments?limit=4`), 200) as { items: Attachment[]; nextCursor: string };
    const page2 = ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments?limit=4&cursor=${page1.nextCursor}`), 200) as { items: Attachment[]; nextCursor: null };
    expect(page1.items.length + page2.items.length).toBe(6);
    expect(page2.nextCursor).toBeNull();
  });

  it('replays a retried upload with the same Idempotency-Key instead of storing it twice', async () => {
    const w = await world();
    const c = await w.open();
    const first = ok(await upload(w.caseworker, c.id, PDF, { 'idempotency-key': 'upload-retry-1' }, '?filename=a.pdf'), 201) as Attachment;
    const again = ok(await upload(w.caseworker, c.id, PDF, { 'idempotency-key': 'upload-retry-1' }, '?filename=a.pdf'), 201) as Attachment;
    expect(again.id).toBe(first.id);
    expect(await rowsOf(c.id)).toBe(1);
  });

  it('keeps only the last segment of a path-traversal file name, and stores under a key of its own', async () => {
    const w = await world();
    const c = await w.open();
    for (const [given, stored] of [['../../etc/passwd', 'passwd.txt'], ['..\\..\\windows\\win.ini', 'win.ini.txt'], ['...', 'attachment.txt'], ['\u0000evil\u0007.txt', 'evil.txt']]) {
      const a = ok(await upload(w.caseworker, c.id, Buffer.from('plain text'), {}, `?filename=${encodeURIComponent(given!)}`), 201) as Attachment;
      expect(a.fileName).toBe(stored);
    }
    for (const f of storedFiles()) expect(path.relative(path.join(ctx.config.dataDir, 'files'), f)).toMatch(/^attachments\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    expect(fs.existsSync(path.join(ctx.config.dataDir, 'etc'))).toBe(false);
  });
});

describe('refusing an upload', () => {
  it.each([
    ['an executable declared as a PDF', EXE, { 'content-type': 'application/pdf' }, '?filename=form.pdf', 'application/x-msdownload'],
    ['HTML declared as text', Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'), { 'content-type': 'text/plain' }, '?filename=notes.txt', 'text/html'],
    ['an SVG image', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'), { 'content-type': 'image/png' }, '?filename=map.png', 'image/svg+xml'],
    ['an XML-declared SVG', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), {}, '', 'application/xml'],
    ['a plain zip', fixture('archive.zip'), { 'content-type': 'application/zip' }, '?filename=files.docx', 'application/zip'],
    ['unknown binary', Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x37, 0x80, 0x81, 0x00]), {}, '', 'application/octet-stream'],
  ])('refuses %s with 415 and the detected type, keeping nothing', async (_name, body, headers, query, detected) => {
    const w = await world();
    const c = await w.open();
    const before = storedFiles().length;
    const p = refused(await upload(w.caseworker, c.id, body, headers, query), 415, 'unsupported_media_type', 'file') as { detectedType?: string };
    expect(p.detectedType).toBe(detected);
    expect(await rowsOf(c.id)).toBe(0);
    expect(storedFiles().length).toBe(before);
  });

  it('refuses a body over UPLOAD_MAX_BYTES with 413, whether declared up front or streamed, keeping nothing', async () => {
    const w = await world();
    const c = await w.open();
    const before = storedFiles().length;
    const big = Buffer.alloc(LIMIT + 1, 'a');
    refused(await upload(w.caseworker, c.id, big, { 'content-type': 'text/plain' }), 413, 'payload_too_large');
    // Streamed in chunks with no Content-Length: the limit is enforced while storing.
    const chunks = Readable.from(Array.from({ length: 20 }, () => Buffer.alloc(8192, 'b')));
    const streamed = await upload(w.caseworker, c.id, chunks, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    refused(streamed, 413, 'payload_too_large');
    expect(await rowsOf(c.id)).toBe(0);
    expect(storedFiles().length).toBe(before);
    expect(fs.readdirSync(path.join(ctx.config.dataDir, 'files', '.tmp'))).toEqual([]);
  });

  it("answers 404 for another office's case and for a case id that does not exist, storing nothing", async () => {
    const [w, other] = [await world(), await world()];
    const theirs = await other.open();
    const before = storedFiles().length;
    refused(await upload(w.admin, theirs.id, PDF), 404, 'not_found');
    refused(await w.admin.api('GET', `/api/v1/cases/${theirs.id}/attachments`), 404, 'not_found');
    const a = ok(await upload(other.admin, theirs.id, PDF), 201) as Attachment;
    refused(await w.admin.api('GET', `/api/v1/cases/${theirs.id}/attachments/${a.id}`), 404, 'not_found');
    refused(await w.admin.api('DELETE', `/api/v1/cases/${theirs.id}/attachments/${a.id}`), 404, 'not_found');
    // Their attachment under my case id is not found either.
    const mine = await w.open();
    refused(await w.admin.api('GET', `/api/v1/cases/${mine.id}/attachments/${a.id}`), 404, 'not_found');
    expect(storedFiles().length).toBe(before + 1);
  });

  it('tells the browser the size limit and the kinds accepted', async () => {
    const w = await world();
    expect(ok(await w.analyst.api('GET', '/api/v1/attachments/limits'), 200)).toEqual({ maxBytes: LIMIT, kinds: expect.stringContaining('PDF') });
  });

  it('needs case.write to upload or delete', async () => {
    const w = await world();
    const c = await w.open();
    refused(await upload(w.analyst, c.id, PDF), 403, 'forbidden');
    const a = ok(await upload(w.caseworker, c.id, PDF), 201) as Attachment;
    refused(await w.analyst.api('DELETE', `/api/v1/cases/${c.id}/attachments/${a.id}`), 403, 'forbidden');
    refused(await w.volunteer.api('GET', `/api/v1/cases/${c.id}/attachments`), 403, 'forbidden');
  });
});

describe('sensitive cases', () => {
  it('hides the attachments of a sensitive case from staff who may not see it, and logs each read by those who may', async () => {
    const w = await world();
    const c = await w.open({ isSensitive: true });
    const a = ok(await upload(w.admin, c.id, PDF), 201) as Attachment;
    refused(await w.caseworker.api('GET', `/api/v1/cases/${c.id}/attachments`), 404, 'not_found');
    refused(await w.caseworker.api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`), 404, 'not_found');
    refused(await upload(w.caseworker, c.id, PDF), 404, 'not_found');
    ok(await w.manager.api('GET', `/api/v1/cases/${c.id}/attachments`), 200);
    expect((await w.manager.api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`)).statusCode).toBe(200);
    const reads = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline?kind=access`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(reads.map((e) => (e.after as { via: string }).via).slice(0, 2)).toEqual(['attachment', 'attachments']);
  });
});

describe('deleting', () => {
  it('soft-deletes with an audit event on the timeline and removes the stored bytes', async () => {
    const w = await world();
    const c = await w.open();
    const a = ok(await upload(w.caseworker, c.id, PNG, {}, '?filename=photo.png'), 201) as Attachment;
    const before = storedFiles().length;
    ok(await w.caseworker.api('DELETE', `/api/v1/cases/${c.id}/attachments/${a.id}`), 204);
    expect(storedFiles().length).toBe(before - 1);
    expect((ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments`), 200) as { items: unknown[] }).items).toEqual([]);
    refused(await w.admin.api('GET', `/api/v1/cases/${c.id}/attachments/${a.id}`), 404, 'not_found');
    refused(await w.admin.api('DELETE', `/api/v1/cases/${c.id}/attachments/${a.id}`), 404, 'not_found');
    const row = await ctx.database.db.selectFrom('case_attachments').select(['deleted_at', 'blob_removed_at', 'sha256']).where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.deleted_at).toBeInstanceOf(Date);
    expect(row.blob_removed_at).toBeInstanceOf(Date);
    const timeline = (ok(await w.admin.api('GET', `/api/v1/cases/${c.id}/timeline`), 200) as { items: CaseTimelineEntry[] }).items;
    expect(timeline[0]).toMatchObject({ entityType: 'case_attachment', action: 'removed', summary: 'Attachment removed: photo.png', before: { sha256: a.sha256 } });
  });

  it('the purge job removes bytes whose removal after the delete did not happen', async () => {
    const w = await world();
    const c = await w.open();
    const a = ok(await upload(w.caseworker, c.id, PDF), 201) as Attachment;
    // As if the process stopped between the commit and the removal.
    await ctx.database.db.updateTable('case_attachments').set({ deleted_at: new Date() }).where('id', '=', a.id).execute();
    const before = storedFiles().length;
    const r = await purgeRemoved(ctx.database.db);
    expect(r.purged).toBeGreaterThanOrEqual(1);
    expect(storedFiles().length).toBe(before - 1);
    const row = await ctx.database.db.selectFrom('case_attachments').select('blob_removed_at').where('id', '=', a.id).executeTakeFirstOrThrow();
    expect(row.blob_removed_at).toBeInstanceOf(Date);
  });
});
