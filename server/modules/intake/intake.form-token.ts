// The public form's signed timestamp: "<issued ms>.<HMAC>" under the office's key. It proves
// when the form was served, so a request sent sooner than a person could fill it in (a bot)
// is refused, and it cannot be minted without the key. Valid for a day. The same key hides
// client addresses in the per-address limit (clientHash) and signs the resident portal's
// tracking links (issueTrackingToken).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { safeEqual } from '../../platform/auth/secrets.js';
import { DomainError } from '../../platform/errors.js';
import { uuidBytes, uuidFromBytes } from '../../platform/ids.js';
import { trackingPath } from '../portal/portal.addresses.js';
import { webRequestOfCase } from './intake.feed.js';
import { formKey } from './intake.web-repo.js';

const MAX_AGE_MS = 24 * 60 * 60_000;
const keys = new Map<string, Buffer>();

async function keyOf(db: Executor, officeId: string): Promise<Buffer> {
  let key = keys.get(officeId);
  if (!key) {
    key = await formKey(db, officeId);
    keys.set(officeId, key);
  }
  return key;
}

const mac = (key: Buffer, officeId: string, issued: number) => createHmac('sha256', key).update(`${officeId}.${issued}`).digest('base64url');

export async function issueFormToken(db: Executor, officeId: string, now = Date.now()): Promise<string> {
  return `${now}.${mac(await keyOf(db, officeId), officeId, now)}`;
}

/** Refuses a token that is forged, from another office, stale, or younger than minSeconds. */
export async function checkFormToken(db: Executor, officeId: string, token: string, minSeconds: number, now = Date.now()): Promise<void> {
  const m = /^(\d{13})\.([A-Za-z0-9_-]{43})$/.exec(token);
  const issued = m ? Number(m[1]) : NaN;
  if (!m || !safeEqual(m[2]!, mac(await keyOf(db, officeId), officeId, issued))) {
    throw new DomainError('validation_failed', { field: 'formToken', message: 'The form could not be checked; reload the page and send it again' });
  }
  if (now - issued > MAX_AGE_MS || issued - now > 60_000) {
    throw new DomainError('validation_failed', { field: 'formToken', message: 'The form has expired; send it again' });
  }
  if (now - issued < minSeconds * 1000) {
    throw new DomainError('validation_failed', { field: 'formToken', message: `The form was sent too quickly; wait ${minSeconds} seconds after opening it and send it again` });
  }
}

/**
 * A client address as the per-address limit keeps it: an HMAC under the office's key, so the
 * stored value says nothing without the key (a plain hash of an IPv4 address is undone by
 * trying all four billion) and cannot be matched across offices.
 */
export async function clientHash(db: Executor, officeId: string, address: string): Promise<Buffer> {
  return createHmac('sha256', await keyOf(db, officeId)).update(`client.${address}`).digest();
}

/** How long a tracking link works; after that the resident asks for a new one with the reference and their email or phone. */
export const TRACKING_MAX_AGE_DAYS = 400;
const TRACKING_BODY = 22; // item id (16 bytes) | issued ms (6 bytes)
const TRACKING_MAC = 16;
const TRACKING_PATTERN = /^[A-Za-z0-9_-]{51}$/;
const trackingMac = (key: Buffer, officeId: string, body: Buffer) =>
  createHmac('sha256', key).update(`track.${officeId}.`).update(body).digest().subarray(0, TRACKING_MAC);

/**
 * A tracking link's token for a stored item (a request sent through the portal): the item id
 * and the time, signed under the office's key, so it cannot be made up, altered, or used
 * under another office's address. Nothing is stored per link.
 */
export async function issueTrackingToken(db: Executor, officeId: string, itemId: string, now = Date.now()): Promise<string> {
  const body = Buffer.alloc(TRACKING_BODY);
  uuidBytes(itemId).copy(body, 0);
  body.writeUIntBE(now, 16, 6);
  return Buffer.concat([body, trackingMac(await keyOf(db, officeId), officeId, body)]).toString('base64url');
}

/** The item a tracking token names; null for anything forged, altered or another office's; 'expired' for one too old. */
export async function checkTrackingToken(db: Executor, officeId: string, token: string, now = Date.now()): Promise<{ itemId: string } | 'expired' | null> {
  if (!TRACKING_PATTERN.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // One spelling per token: trailing bits that decode to the same bytes are refused too.
  if (raw.length !== TRACKING_BODY + TRACKING_MAC || raw.toString('base64url') !== token) return null;
  const body = raw.subarray(0, TRACKING_BODY);
  if (!timingSafeEqual(trackingMac(await keyOf(db, officeId), officeId, body), raw.subarray(TRACKING_BODY))) return null;
  if (now - body.readUIntBE(16, 6) > TRACKING_MAX_AGE_DAYS * 86_400_000) return 'expired';
  return { itemId: uuidFromBytes(body) };
}

/**
 * The tracking link of the case's request sent through the portal or the web form (its first,
 * whose tracking page follows the case), freshly signed; '' when no request came that way.
 * What acknowledgements and resident updates send.
 */
export async function caseTrackingLink(db: Executor, office: { id: string; slug: string }, caseId: string, publicUrl: string): Promise<string> {
  const itemId = await webRequestOfCase(db, office.id, caseId);
  return itemId ? `${publicUrl}${trackingPath(office.slug, await issueTrackingToken(db, office.id, itemId))}` : '';
}
