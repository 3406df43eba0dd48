// HTTP: CSV imports of constituents (create, upload, start, progress, errors, cancel) and
// the CSV export of a constituent search.
import type { Readable } from 'node:stream';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import { ZConstituentExportQuery, ZCreateImport, ZImport, ZImportListQuery, ZImportUploaded, ZStartImport } from '../../../contract/imports.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { exportCsv } from './imports.export.js';
import * as service from './imports.service.js';

const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel', 'application/octet-stream'];

function sendCsv(reply: { header(k: string, v: string): unknown; type(t: string): unknown; send(s: Readable): unknown }, file: { fileName: string; stream: Readable }) {
  reply.header('content-disposition', `attachment; filename="${file.fileName}"`);
  reply.header('cache-control', 'no-store');
  reply.type('text/csv; charset=utf-8');
  return reply.send(file.stream);
}

export function importsRoutes(app: App): void {
  app.post('/api/v1/imports', {
    schema: { tags: ['imports'], summary: 'Create a constituent import (then upload its file)', body: ZCreateImport, response: { 201: ZImport } },
    config: { permission: 'constituent.import' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, req.body)));

  app.get('/api/v1/imports', {
    schema: { tags: ['imports'], summary: 'List imports, newest first', querystring: ZImportListQuery, response: { 200: ZPage(ZImport) } },
    config: { permission: 'constituent.import' },
  }, async (req) => service.list(req.scope, req.query));

  app.get('/api/v1/imports/:id', {
    schema: { tags: ['imports'], summary: 'An import: progress and summary', params: ZIdParams, response: { 200: ZImport } },
    config: { permission: 'constituent.import' },
  }, async (req) => service.get(req.scope, req.params.id));

  app.post('/api/v1/imports/:id/start', {
    schema: { tags: ['imports'], summary: 'Start an uploaded import with a column mapping (runs as a job)', params: ZIdParams, body: ZStartImport, response: { 202: ZImport } },
    config: { permission: 'constituent.import' },
  }, async (req, reply) => reply.code(202).send(await service.start(req.scope, app.civitas.jobs, req.params.id, req.body)));

  app.post('/api/v1/imports/:id/cancel', {
    schema: { tags: ['imports'], summary: 'Cancel an import (rows already written stay)', params: ZIdParams, response: { 200: ZImport } },
    config: { permission: 'constituent.import' },
  }, async (req) => service.cancel(req.scope, req.params.id));

  app.get('/api/v1/imports/:id/errors.csv', {
    schema: { tags: ['imports'], summary: 'The rejected rows of an import as CSV (row, column, reason)', params: ZIdParams },
    config: { permission: 'constituent.import' },
  }, async (req, reply) => sendCsv(reply, await service.errorsCsv(req.scope, req.params.id)));

  app.get('/api/v1/constituents/export.csv', {
    schema: { tags: ['constituents'], summary: 'Export the constituents a search finds as CSV (same filters as the list)', querystring: ZConstituentExportQuery },
    config: { permission: 'constituent.export' },
  }, async (req, reply) => sendCsv(reply, await exportCsv(req.scope, req.query)));

  // The upload takes the CSV as the raw body, streamed into storage: only this route
  // accepts CSV bodies, so the parser lives in its own plugin scope.
  void app.register(async (scoped: App) => {
    scoped.addContentTypeParser(CSV_TYPES, (_req, payload, done) => done(null, payload));
    scoped.put('/api/v1/imports/:id/file', {
      schema: { tags: ['imports'], summary: `Upload an import's CSV file as the request body (text/csv, up to ${service.MAX_UPLOAD_BYTES / 2 ** 30} GiB)`, params: ZIdParams, response: { 200: ZImportUploaded } },
      config: { permission: 'constituent.import' },
    }, async (req) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!CSV_TYPES.includes(type)) throw new DomainError('unsupported_media_type', { message: 'Send the file as the request body with Content-Type: text/csv' });
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > service.MAX_UPLOAD_BYTES) throw new DomainError('payload_too_large', { message: `The file is larger than ${service.MAX_UPLOAD_BYTES / 2 ** 20} MiB` });
      return service.upload(req.scope, req.params.id, req.body as AsyncIterable<Buffer>);
    });
  });
}
