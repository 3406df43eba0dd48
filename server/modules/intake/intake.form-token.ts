// The public form's signed timestamp: "<issued ms>.<HMAC>" under the office's key. It proves
// when the form was served, so a request sent sooner than a person could fill it in (a bot)
// is refused, and it cannot be minted without the key. Valid for a day. The same key hides
// client addresses in the per-address limit (clientHash).
import { createHmac } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { safeEqual } from '../../platform/auth/secrets.js';
import { DomainError } from '../../platform/errors.js';
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
