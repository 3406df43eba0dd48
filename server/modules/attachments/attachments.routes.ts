// HTTP: attachments of a case (upload as the raw request body, list, download, delete).
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ATTACHMENT_KINDS, ZAttachment, ZAttachmentLimits, ZAttachmentParams, ZAttachmentUploadQuery, ZCaseItemsQuery } from '../../../contract/case-work.js';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { tooLarge } from '../../platform/storage.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as service from './attachments.service.js';
import { onCaseMerge } from '../cases/cases.merge-hooks.js';
import * as repo from './attachments.repo.js';
import { asDownload } from '../../platform/http/download.js';

const tags = ['attachments'];

type RawBody = { stream: Readable; toJSON: () => object };

/** The file name from `?filename=` or, failing that, a Content-Disposition request header. */
function fileNameOf(query: string | undefined, disposition: string | undefined): string | undefined {
  if (query) return query;
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star.trim());
    } catch {
      return undefined;
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(disposition)?.[1]?.trim();
}

export function attachmentsRoutes(app: App): void {
  // A merged case's attachments go to the case it was merged into.
  onCaseMerge('attachments', (trx, scope, merge) => repo.moveToCase(trx, scope.officeId, merge.fromCaseId, merge.intoCaseId).then(() => undefined));
  app.get('/api/v1/attachments/limits', {
    schema: { tags, summary: 'What an upload may be: the largest size in bytes and the kinds of file accepted', response: { 200: ZAttachmentLimits } },
    config: { permission: 'case.read' },
  }, async () => ({ maxBytes: app.civitas.config.uploadMaxBytes, kinds: ATTACHMENT_KINDS }));

  app.get('/api/v1/cases/:id/attachments', {
    schema: { tags, summary: "A case's attachments, newest first", params: ZIdParams, querystring: ZCaseItemsQuery, response: { 200: ZPage(ZAttachment) } },
    config: { permission: 'case.read' },
  }, async (req) => service.list(req.scope, viewerOf(req.principal!), req.params.id, req.query));

  app.get('/api/v1/cases/:id/attachments/:attachmentId', {
    schema: { tags, summary: 'Download an attachment (always as a download, with its detected type)', params: ZAttachmentParams },
    config: { permission: 'case.read' },
  }, async (req, reply) => {
    const file = await service.download(req.scope, viewerOf(req.principal!), req.params.id, req.params.attachmentId);
    return asDownload(reply, file).send(file.stream);
  });

  app.delete('/api/v1/cases/:id/attachments/:attachmentId', {
    schema: { tags, summary: 'Delete an attachment (kept in the audit log; the stored file is removed)', params: ZAttachmentParams, response: { 204: z.null() } },
    config: { permission: 'case.write' },
  }, async (req, reply) => {
    await service.remove(req.scope, viewerOf(req.principal!), req.params.id, req.params.attachmentId);
    return reply.code(204).send(null);
  });

  // The upload is the raw request body, whatever its declared type (the content decides), so
  // this route has a parser scope of its own that hands the stream on unread.
  void app.register(async (scoped: App) => {
    scoped.removeAllContentTypeParsers();
    // The body stays a stream; what the idempotency store hashes for it is its declared length
    // (with the URL), so a retried upload under the same Idempotency-Key replays the first answer.
    scoped.addContentTypeParser('*', (req, payload, done) => done(null, { stream: payload, toJSON: () => ({ rawBody: true, contentLength: req.headers['content-length'] ?? null }) } satisfies RawBody));
    const max = app.civitas.config.uploadMaxBytes;
    scoped.post('/api/v1/cases/:id/attachments', {
      schema: {
        tags, params: ZIdParams, querystring: ZAttachmentUploadQuery, response: { 201: ZAttachment },
        summary: `Attach a file to a case: the file is the request body (any Content-Type; the type is detected from the content), its name in ?filename= or Content-Disposition; up to ${max} bytes`,
      },
      config: { permission: 'case.write' },
    }, async (req, reply) => {
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > max) {
        reply.header('connection', 'close');
        throw tooLarge(max);
      }
      const body = (req.body as RawBody | undefined)?.stream;
      if (!body) throw new DomainError('validation_failed', { field: 'file', message: 'Send the file as the request body' });
      const fileName = fileNameOf(req.query.filename, req.headers['content-disposition']);
      try {
        const created = await service.upload(req.scope, viewerOf(req.principal!), req.params.id, body, { fileName, maxBytes: max });
        return reply.code(201).send(created);
      } catch (err) {
        // The rest of a refused body is not read: end the connection after the answer.
        if (!req.raw.complete) reply.header('connection', 'close');
        throw err;
      }
    });
  });
}
