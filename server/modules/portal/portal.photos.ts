// The portal's photos: a report or comment form posted as multipart/form-data (with or
// without JavaScript) is read into its text fields and up to PHOTOS_MAX files, each within
// PORTAL_PHOTO_MAX_BYTES and all within PORTAL_PHOTOS_MAX_TOTAL_BYTES. A photo is what its
// bytes are (attachments' sniffing: JPEG, PNG or WebP; never the name or declared type); its
// GPS position is read with exifr, and it is re-encoded with sharp, orientation applied and
// every piece of metadata (EXIF, XMP, IPTC) dropped, before anything is stored. HEIC is
// refused: the bundled image library cannot decode HEVC, and a photo we cannot re-encode
// cannot be stripped. Tracking pages show a request's own photos through its signed link.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream';
import exifr from 'exifr';
import type { FastifyMultipartBaseOptions } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import sharp, { type Sharp } from 'sharp';
import { z } from 'zod';
import { COMMENT_MAX, ZPortalComment } from '../../../contract/portal.js';
import type { Config } from '../../config.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { liveByKeys, openByKeys } from '../attachments/attachments.intake.js';
import { classifyBytes, safeFileName } from '../attachments/attachments.sniff.js';
import * as publicCases from '../cases/cases.public.js';
import * as feed from '../intake/intake.feed.js';
import type { PhotoUpload } from '../intake/intake.web-form.js';
import { FormProblems, inFormOrder, type Issue } from './portal.forms.js';

export const PHOTOS_MAX = 5;
/** Detected type → what it is re-encoded as, with the extensions a stored name may carry. */
const PHOTO_TYPES: Record<string, { ext: string[]; encode: (s: Sharp) => Sharp }> = {
  'image/jpeg': { ext: ['jpg', 'jpeg'], encode: (s) => s.jpeg({ quality: 85 }) },
  'image/png': { ext: ['png'], encode: (s) => s.png() },
  'image/webp': { ext: ['webp'], encode: (s) => s.webp({ quality: 85 }) },
};
// Beyond this many file parts busboy stops reading; up to it, extra photos are counted and refused.
const FILE_PARTS_MAX = 20;
const MAX_PIXELS = 100_000_000;

export type PhotoLimits = Config['portalPhotos'];
export type SentFile = { fileName: string; bytes: Buffer; isTooLarge: boolean };
export type SentForm = { body: Record<string, string>; files: SentFile[]; issues: Issue[] };
export type Photo = PhotoUpload & { position: { lat: number; lng: number } | null };

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
export const limitValues = (l: PhotoLimits) => ({ count: PHOTOS_MAX, size: mb(l.maxBytes), total: mb(l.maxTotalBytes) });

/**
 * The posted form: an urlencoded body as parsed, or a multipart one read part by part. Files
 * past the limits are read to their end but not kept, and give one problem on `photos`.
 */
export async function readForm(req: FastifyRequest, limits: PhotoLimits): Promise<SentForm> {
  if (!req.isMultipart()) return { body: (req.body ?? {}) as Record<string, string>, files: [], issues: [] };
  const body: Record<string, string> = {};
  const files: SentFile[] = [];
  let total = 0;
  let isTooMany = false;
  let isBroken = false;
  try {
    // A file past the size limit is cut short and marked truncated, not an error, so the rest of the form is still read.
    const options: FastifyMultipartBaseOptions = { throwFileSizeLimit: false, limits: { fileSize: limits.maxBytes, files: FILE_PARTS_MAX, fields: 50, fieldSize: 64 * 1024, parts: 100 } };
    const parts = req.parts(options);
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value === 'string') body[part.fieldname] = part.value;
        continue;
      }
      const bytes = await part.toBuffer();
      // A file input left empty is sent as a part with no name and no bytes.
      if (!part.filename && !bytes.length) continue;
      if (part.fieldname !== 'photos' || files.length >= PHOTOS_MAX) {
        isTooMany ||= part.fieldname === 'photos';
        continue;
      }
      total += bytes.length;
      files.push({ fileName: part.filename, bytes: total > limits.maxTotalBytes ? Buffer.alloc(0) : bytes, isTooLarge: part.file.truncated });
    }
  } catch (err) {
    // Past the file parts busboy reads, or a body that is not well-formed multipart.
    const code = (err as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT') isTooMany = true;
    else isBroken = true;
  }
  const values = limitValues(limits);
  const issue: Issue | null = isBroken ? { field: 'photos', key: 'error.form.retry' }
    : isTooMany ? { field: 'photos', key: 'error.photos.tooMany', values }
    : files.find((f) => f.isTooLarge) ? { field: 'photos', key: 'error.photos.tooLarge', values: { ...values, name: files.find((f) => f.isTooLarge)!.fileName } }
      : total > limits.maxTotalBytes ? { field: 'photos', key: 'error.photos.tooLargeTotal', values }
        : null;
  return { body, files: issue ? [] : files, issues: issue ? [issue] : [] };
}

/** Where the photo was taken, from its EXIF GPS tags, if it says. */
async function positionOf(bytes: Buffer): Promise<Photo['position']> {
  const gps = await exifr.gps(bytes).catch(() => undefined) as { latitude?: number; longitude?: number } | undefined;
  const lat = gps?.latitude;
  const lng = gps?.longitude;
  if (typeof lat !== 'number' || typeof lng !== 'number' || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  if (Math.abs(lat) > 90 || Math.abs(lng) > 180 || (lat === 0 && lng === 0)) return null;
  return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
}

/** One sent file as a photo to keep (type checked, position read, metadata stripped), or the problem with it. */
async function photoOf(f: SentFile): Promise<Photo | Issue> {
  const name = f.fileName.slice(0, 100);
  const verdict = await classifyBytes(f.bytes, f.fileName);
  const type = verdict.ok ? PHOTO_TYPES[verdict.contentType] : undefined;
  if (!verdict.ok || !type) return { field: 'photos', key: 'error.photos.type', values: { name } };
  let bytes: Buffer;
  try {
    // rotate(): the EXIF orientation is applied to the pixels, as the tag itself goes with the rest.
    bytes = await type.encode(sharp(f.bytes, { failOn: 'error', limitInputPixels: MAX_PIXELS }).rotate()).toBuffer();
  } catch {
    return { field: 'photos', key: 'error.photos.unreadable', values: { name } };
  }
  const contentType = verdict.ok ? verdict.contentType : '';
  return {
    fileName: safeFileName(f.fileName, type.ext), contentType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), bytes,
    position: await positionOf(f.bytes),
  };
}

const isIssue = (x: Photo | Issue): x is Issue => 'key' in x;

/** The sent files as photos to keep, or every problem with them (the first per file). */
async function preparePhotos(files: readonly SentFile[]): Promise<{ photos: Photo[]; issues: Issue[] }> {
  const results: (Photo | Issue)[] = [];
  // One at a time: decoding a large photo takes memory and a core.
  for (const f of files) results.push(await photoOf(f));
  const issues = results.filter(isIssue);
  return { photos: issues.length ? [] : (results as Photo[]), issues: issues.slice(0, 1) };
}

/** The case a tracked request is on, when its photos may be shown: never for a sensitive case. */
async function shownCaseOf(db: Executor, officeId: string, requestItemId: string): Promise<string | null> {
  const request = await feed.trackedRequest(db, officeId, requestItemId);
  const kase = request?.caseId ? await publicCases.publicCase(db, officeId, request.caseId) : undefined;
  return kase && !kase.isSensitive ? kase.id : null;
}

/** A request's photos as its tracking page lists them: those sent with it and with its comments, still on its case. */
export async function photosOfRequest(db: Executor, officeId: string, requestItemId: string) {
  const caseId = await shownCaseOf(db, officeId, requestItemId);
  return caseId ? liveByKeys(db, officeId, caseId, await feed.photoKeysOfRequest(db, officeId, requestItemId)) : [];
}

/** One of the request's photos, whole or as a thumbnail; undefined when it is not one of them (or may not be shown). */
export async function photoOfRequest(db: Executor, officeId: string, requestItemId: string, photoId: string, isThumbnail: boolean) {
  const caseId = await shownCaseOf(db, officeId, requestItemId);
  const file = caseId ? await openByKeys(db, officeId, caseId, await feed.photoKeysOfRequest(db, officeId, requestItemId), photoId) : undefined;
  if (!file || !isThumbnail) return file;
  // pipeline: a storage error ends the thumbnail's stream too, rather than leaving the answer hanging.
  return { ...file, stream: pipeline(file.stream, sharp().resize({ width: 320, height: 320, fit: 'inside', withoutEnlargement: true }), () => undefined) };
}

/** A comment may be photos alone: its text is then empty (and still at most COMMENT_MAX characters). */
export const ZPortalPhotoComment = ZPortalComment.extend({ text: z.preprocess((v) => (typeof v === 'string' ? v : ''), z.string().trim().max(COMMENT_MAX)) });

/**
 * The form's fields parsed and its files made photos, or FormProblems with the problems of
 * both in the form's order (the resident hears of every problem at once).
 */
export async function parseWithPhotos<T>(form: 'report' | 'comment', parse: () => T, sent: SentForm): Promise<{ value: T; photos: Photo[] }> {
  let value: T | undefined;
  let issues: Issue[] = [];
  try {
    value = parse();
  } catch (err) {
    if (!(err instanceof FormProblems)) throw err;
    issues = err.issues;
  }
  const prepared = sent.issues.length ? { photos: [], issues: sent.issues } : await preparePhotos(sent.files);
  if (issues.length || prepared.issues.length) throw new FormProblems(inFormOrder(form, [...issues, ...prepared.issues]));
  return { value: value as T, photos: prepared.photos };
}

/** The first photo's position, used as the report's point when the resident marked none. */
export function pointFromPhotos<R extends { lat?: number | undefined; lng?: number | undefined }>(r: R, photos: readonly Photo[]): { request: R; from: Photo | null } {
  if (r.lat !== undefined || r.lng !== undefined) return { request: r, from: null };
  const from = photos.find((p) => p.position) ?? null;
  return from?.position ? { request: { ...r, lat: from.position.lat, lng: from.position.lng }, from } : { request: r, from: null };
}

/** A point taken from a photo and refused (outside the office's wards) is the photo's problem, not the address's. */
export function photoPlaceProblem(err: unknown, from: Photo | null): void {
  if (from && err instanceof DomainError && err.code === 'validation_failed' && err.field === 'lat') {
    throw new FormProblems([{ field: 'photos', key: 'error.photos.outside', values: { name: from.fileName } }]);
  }
}
