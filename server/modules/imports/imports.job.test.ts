// The imports.run job's work on stored uploads: resuming after a crash exactly where the last
// committed batch ended, leaving cancelled imports alone, and real data (FixMyStreet reports
// in Lewisham: quoted line breaks, long texts, real coordinates) with ward assignment.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportMappingInput } from '../../../contract/imports.js';
import { createOffice, createTestApp, createUser, type TestContext } from '../../../test/harness.js';
import { projectRoot } from '../../platform/paths.js';
import type { Scope } from '../../platform/scope.js';
import { createField } from '../constituents/constituents.custom-fields.js';
import { importBoundaries } from '../geo/geo.service.js';
import { chunkSource, execute, runQueued } from './imports.execute.js';
import { defineImportJobs } from './imports.job.js';
import * as repo from './imports.repo.js';
import * as service from './imports.service.js';
import { byExternalId, countConstituents, csv, errorsOf } from './imports.testkit.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
  defineImportJobs(ctx.jobs, ctx.database, { info: () => undefined, error: () => undefined });
  await ctx.jobs.start({ work: false });
});
afterAll(() => ctx.close());

async function adminScope(): Promise<Scope> {
  const office = await createOffice(ctx);
  const admin = await createUser(ctx, office, 'admin');
  return { db: ctx.database.db, officeId: office.id, actor: { type: 'user', id: admin.id, label: 'Admin' }, requestId: undefined };
}

async function* once(buf: Buffer) {
  yield buf;
}

/** An upload made, stored and started (queued), as the API would. */
async function queued(scope: Scope, content: string | Buffer, mapping: ImportMappingInput) {
  const created = await service.create(scope, { fileName: 'people.csv' });
  await service.upload(scope, created.id, once(Buffer.from(content)));
  await service.start(scope, ctx.jobs, created.id, { mapping });
  return created.id;
}

/** Stops with an error once `fraction` of the file has been read, as a killed process would. */
async function* crashing(source: AsyncIterable<Buffer>, fraction: number, total: number) {
  let sent = 0;
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += 256) {
      if (sent > total * fraction) throw new Error('simulated crash');
      const piece = chunk.subarray(at, at + 256);
      sent += piece.length;
      yield piece;
    }
  }
}

const MAP = { columns: { id: 'externalId:voter_file', given: 'givenName', family: 'familyName', email: 'email' } };

describe('the imports.run job', () => {
  it('resumes after a crash exactly after the last committed batch, without duplicates', async () => {
    const scope = await adminScope();
    const rows = Array.from({ length: 100 }, (_, i) => [`V${i + 1}`, 'Ann', `Smith ${i + 1}`, `ann${i + 1}@example.org`]);
    rows[49]![3] = 'broken@'; // row 51
    rows[69]![0] = 'V10'; // row 71 repeats row 11's voter id, on the far side of the crash
    const content = csv([['id', 'given', 'family', 'email'], ...rows]);
    const id = await queued(scope, content, MAP);
    await repo.update(ctx.database.db, scope.officeId, id, { status: 'running' });

    const row = (await repo.get(ctx.database.db, scope.officeId, id))!;
    const source = crashing(chunkSource(ctx.database.db, scope.officeId, id), 0.5, content.length);
    await expect(execute(ctx.database, { scope, row, encoding: 'utf8', mapping: { ...MAP, tagSeparator: ';', choiceSeparator: ';', unmapped: 'error', addressType: 'home' }, source, batchRows: 10 })).rejects.toThrow('simulated crash');
    const mid = (await repo.get(ctx.database.db, scope.officeId, id))!;
    expect(mid.rows_processed % 10).toBe(0);
    expect(mid.rows_processed).toBeGreaterThanOrEqual(20);
    expect(mid.rows_processed).toBeLessThan(70);
    expect(await countConstituents(ctx.database, scope.officeId)).toBe(mid.created_count);

    await runQueued(ctx.database, { officeId: scope.officeId, importId: id }, { isLastAttempt: false, batchRows: 10 });
    const end = (await repo.get(ctx.database.db, scope.officeId, id))!;
    expect([end.status, end.rows_processed, end.created_count, end.rejected_count, end.updated_count]).toEqual(['completed', 100, 98, 2, 0]);
    expect(await countConstituents(ctx.database, scope.officeId)).toBe(98);
    expect(await errorsOf(ctx.database, scope.officeId, id)).toEqual([
      { row: 51, column: 'email', reason: 'is not a valid email address' },
      { row: 71, column: 'id', reason: 'duplicate of row 11 (same voter_file V10)' },
    ]);
    expect((await byExternalId(ctx.database, scope.officeId, 'voter_file', 'V10'))!.familyName).toBe('Smith 10');
    // The stored file goes once the import has completed.
    expect(await repo.readChunk(ctx.database.db, scope.officeId, id, 0)).toBeUndefined();
    // Running it again (a duplicate delivery) changes nothing.
    await runQueued(ctx.database, { officeId: scope.officeId, importId: id }, { isLastAttempt: false });
    expect((await repo.get(ctx.database.db, scope.officeId, id))!.created_count).toBe(98);
  });

  it('leaves a cancelled import alone', async () => {
    const scope = await adminScope();
    const id = await queued(scope, csv([['id', 'given', 'family', 'email'], ['V1', 'A', 'B', 'a@b.org']]), MAP);
    expect(await repo.readChunk(ctx.database.db, scope.officeId, id, 0)).toBeInstanceOf(Buffer);
    await service.cancel(scope, id);
    expect(await repo.readChunk(ctx.database.db, scope.officeId, id, 0)).toBeUndefined();
    await runQueued(ctx.database, { officeId: scope.officeId, importId: id }, { isLastAttempt: false });
    expect((await repo.get(ctx.database.db, scope.officeId, id))!.status).toBe('cancelled');
    expect(await countConstituents(ctx.database, scope.officeId)).toBe(0);
  });
});

describe('real data', () => {
  // Copies of ../shared/data kept in the repository, so the test does not depend on where
  // the checkout lives: the first 400 FixMyStreet reports and the Lewisham wards.
  const reportsCsv = path.join(projectRoot, 'server/modules/imports/fixtures/fixmystreet-lewisham-400.csv');
  const wards = path.join(projectRoot, 'server/modules/geo/fixtures/lewisham-wards-2022.geojson');

  it('imports FixMyStreet reports (quoted line breaks, long texts) and puts each located address in its Lewisham ward', async () => {
    const scope = await adminScope();
    await importBoundaries(scope, undefined, { layer: 'ward', geojson: JSON.parse(fs.readFileSync(wards, 'utf8')) });
    await createField(scope, { key: 'report', label: 'First report', type: 'text' });
    const reports = (parse(fs.readFileSync(reportsCsv), { columns: true }) as Record<string, string>[]).slice(0, 400);
    const names = ['Ama Owusu', 'Tom Price', 'Li Wei', 'Sara Khan', 'Jo Brown'];
    const table = [['id', 'name', 'street', 'lat', 'long', 'label', 'detail', 'channel'], ...reports.map((r, i) => [r.id!, names[i % 5]!, r.title!, r.lat!, r.long!, r.label!, r.detail!, r.channel!])];
    const map = { columns: { id: 'externalId:fms', name: 'familyName', street: 'line1', lat: 'lat', long: 'lng', label: 'tags', detail: 'custom:report', channel: 'ignore' } };
    const id = await queued(scope, csv(table), map);
    await runQueued(ctx.database, { officeId: scope.officeId, importId: id }, { isLastAttempt: false, batchRows: 150 });

    const tooLong = (r: Record<string, string>) => r.detail!.length > 2000 || r.title!.length > 200;
    const end = (await repo.get(ctx.database.db, scope.officeId, id))!;
    expect(reports.some((r) => r.detail!.includes('\n'))).toBe(true);
    expect([end.status, end.rows_processed, end.created_count, end.rejected_count]).toEqual(['completed', 400, reports.filter((r) => !tooLong(r)).length, reports.filter(tooLong).length]);
    for (const e of await errorsOf(ctx.database, scope.officeId, id)) expect(e.reason).toMatch(/characters long; the limit is (2,000|200)/);
    const multiline = reports.find((r) => r.detail!.includes('\n') && !tooLong(r))!;
    const c = (await byExternalId(ctx.database, scope.officeId, 'fms', multiline.id!))!;
    expect(c.customFields.report).toBe(multiline.detail!.trim());
    expect(c.tags).toEqual([multiline.label]);
    expect(c.addresses[0]).toMatchObject({ lat: Number(multiline.lat), lng: Number(multiline.long) });
    // Nearly every report lies in a Lewisham ward (see ../shared/data/README.md).
    const areas = await ctx.database.db.selectFrom('constituent_address_areas').select((eb) => eb.fn.countAll<number>().as('n')).where('office_id', '=', scope.officeId).where('layer', '=', 'ward').executeTakeFirstOrThrow();
    expect(Number(areas.n)).toBeGreaterThan(end.created_count * 0.95);
  });
});
