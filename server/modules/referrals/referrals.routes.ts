// HTTP: the agency directory, privacy-release settings, referrals on a case (create, edit,
// send, follow-ups, close; the office's list with the overdue filter) and privacy releases
// (e-signature requests, paper uploads, revoke, download, verify).
import { z } from 'zod';
import { ZIdParams, ZPage } from '../../../contract/common.js';
import {
  RELEASE_UPLOAD_TYPES, ZAgency, ZAgencyListQuery, ZCaseReferrals, ZCloseReferral, ZCreateAgency, ZCreateFollowUp, ZCreatedReleaseRequest, ZCreateReferral,
  ZCreateReleaseRequest, ZPaperReleaseQuery, ZPrivacyRelease, ZReferral, ZReferralListQuery, ZReleaseParams, ZReleaseSettings, ZReleaseVerification,
  ZSendReferral, ZUpdateAgency, ZUpdateReferral, ZUpdateReleaseSettings,
} from '../../../contract/referrals.js';
import { DomainError } from '../../platform/errors.js';
import type { App } from '../../platform/http/types.js';
import { viewerOf } from '../cases/cases.routes.js';
import * as agencies from './referrals.agencies.js';
import * as releases from './referrals.releases.js';
import * as service from './referrals.service.js';
import * as settings from './referrals.settings.js';
import { asDownload } from '../../platform/http/download.js';

const tags = ['referrals'];

export function referralsRoutes(app: App): void {
  app.get('/api/v1/agencies', {
    schema: { tags, summary: "The office's agency directory (retired ones on request)", querystring: ZAgencyListQuery, response: { 200: z.object({ items: z.array(ZAgency) }) } },
    config: { permission: 'case.read' },
  }, async (req) => ({ items: await agencies.list(req.scope, req.query) }));

  app.post('/api/v1/agencies', {
    schema: { tags, summary: 'Add an agency or department (federal agencies require a privacy release unless told otherwise)', body: ZCreateAgency, response: { 201: ZAgency } },
    config: { permission: 'casework.configure' },
  }, async (req, reply) => reply.code(201).send(await agencies.create(req.scope, req.body)));

  app.patch('/api/v1/agencies/:id', {
    schema: { tags, summary: 'Edit, retire or restore an agency', params: ZIdParams, body: ZUpdateAgency, response: { 200: ZAgency } },
    config: { permission: 'casework.configure' },
  }, async (req) => agencies.update(req.scope, req.params.id, req.body));

  app.get('/api/v1/privacy-release-settings', {
    schema: { tags, summary: 'The consent text residents sign and how long signing links live', response: { 200: ZReleaseSettings } },
    config: { permission: 'casework.configure' },
  }, async (req) => settings.get(req.scope.db, req.scope.officeId));

  app.put('/api/v1/privacy-release-settings', {
    schema: { tags, summary: 'Change the consent text (null: the default) or the link expiry', body: ZUpdateReleaseSettings, response: { 200: ZReleaseSettings } },
    config: { permission: 'casework.configure' },
  }, async (req) => settings.update(req.scope, req.body));

  app.get('/api/v1/referrals', {
    schema: { tags, summary: "The office's referrals, newest first; overdue=true: sent, no reply, expected date passed", querystring: ZReferralListQuery, response: { 200: ZPage(ZReferral) } },
    config: { permission: 'case.read' },
  }, async (req) => service.list(req.scope, viewerOf(req.principal!), req.query));

  app.get('/api/v1/cases/:id/referrals', {
    schema: { tags, summary: "A case's referrals and privacy releases", params: ZIdParams, response: { 200: ZCaseReferrals } },
    config: { permission: 'case.read' },
  }, async (req) => service.forCase(req.scope, viewerOf(req.principal!), req.params.id));

  app.post('/api/v1/cases/:id/referrals', {
    schema: { tags, summary: 'Draft a referral of the case to an agency', params: ZIdParams, body: ZCreateReferral, response: { 201: ZReferral } },
    config: { permission: 'case.write' },
  }, async (req, reply) => reply.code(201).send(await service.create(req.scope, viewerOf(req.principal!), req.params.id, req.body)));

  app.patch('/api/v1/referrals/:id', {
    schema: { tags, summary: 'Edit a referral (contact, summary, their reference, expected reply date)', params: ZIdParams, body: ZUpdateReferral, response: { 200: ZReferral } },
    config: { permission: 'case.write' },
  }, async (req) => service.update(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/referrals/:id/send', {
    schema: { tags, summary: "Mark a draft referral sent; 409 privacy_release_required when the agency or category needs the requester's release and none is signed", params: ZIdParams, body: ZSendReferral, response: { 200: ZReferral } },
    config: { permission: 'case.write' },
  }, async (req) => service.send(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/referrals/:id/follow-ups', {
    schema: { tags, summary: "Log a follow-up: chased, the agency's reply (marks it responded) or a note", params: ZIdParams, body: ZCreateFollowUp, response: { 200: ZReferral } },
    config: { permission: 'case.write' },
  }, async (req) => service.addFollowUp(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/referrals/:id/close', {
    schema: { tags, summary: 'Close a referral', params: ZIdParams, body: ZCloseReferral, response: { 200: ZReferral } },
    config: { permission: 'case.write' },
  }, async (req) => service.close(req.scope, viewerOf(req.principal!), req.params.id, req.body));

  app.post('/api/v1/cases/:id/privacy-releases', {
    schema: { tags, summary: 'Ask a person on the case to sign a privacy release electronically; the single-use link is shown once (and emailed when possible)', params: ZIdParams, body: ZCreateReleaseRequest, response: { 201: ZCreatedReleaseRequest } },
    config: { permission: 'case.write', secretFields: ['signingUrl'] },
  }, async (req, reply) => reply.code(201).send(await releases.requestSignature(req.scope, viewerOf(req.principal!), req.params.id, req.body, app.civitas.config.publicUrl)));

  app.post('/api/v1/cases/:id/privacy-releases/:rid/revoke', {
    schema: { tags, summary: 'Revoke a pending signing request, or withdraw a signed release', params: ZReleaseParams, response: { 200: ZPrivacyRelease } },
    config: { permission: 'case.write' },
  }, async (req) => releases.revoke(req.scope, viewerOf(req.principal!), req.params.id, req.params.rid));

  app.get('/api/v1/cases/:id/privacy-releases/:rid/document', {
    schema: { tags, summary: 'Download the signed release (generated PDF or the scanned form)', params: ZReleaseParams },
    config: { permission: 'case.read' },
  }, async (req, reply) => {
    const doc = await releases.document(req.scope, viewerOf(req.principal!), req.params.id, req.params.rid);
    return asDownload(reply, { fileName: doc.name, contentType: doc.type }).send(doc.stream);
  });

  app.get('/api/v1/cases/:id/privacy-releases/:rid/verify', {
    schema: { tags, summary: "Recompute a signed release's content hash from its stored fields (and its document's SHA-256) and say whether they match", params: ZReleaseParams, response: { 200: ZReleaseVerification } },
    config: { permission: 'case.read' },
  }, async (req) => releases.verify(req.scope, viewerOf(req.principal!), req.params.id, req.params.rid));

  // The scanned form is the raw request body (PDF, PNG or JPEG): only this route takes
  // those types, so their parser lives in its own plugin scope.
  void app.register(async (scoped: App) => {
    scoped.addContentTypeParser([...RELEASE_UPLOAD_TYPES], { parseAs: 'buffer', bodyLimit: releases.MAX_PAPER_BYTES }, (_req, body, done) => done(null, body));
    scoped.post('/api/v1/cases/:id/privacy-releases/paper', {
      schema: { tags, summary: `Upload a scanned signed release form as the request body (application/pdf, image/png or image/jpeg, up to ${releases.MAX_PAPER_BYTES / 2 ** 20} MiB)`, params: ZIdParams, querystring: ZPaperReleaseQuery, response: { 201: ZPrivacyRelease } },
      config: { permission: 'case.write' },
    }, async (req, reply) => {
      const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!Buffer.isBuffer(req.body)) throw new DomainError('unsupported_media_type', { message: 'Upload the signed form as the request body with Content-Type application/pdf, image/png or image/jpeg' });
      return reply.code(201).send(await releases.uploadPaper(req.scope, viewerOf(req.principal!), req.params.id, req.query, type, req.body));
    });
  });
}
