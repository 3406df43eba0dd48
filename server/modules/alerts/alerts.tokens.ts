// The links of area alerts: confirm a subscription, manage an address's subscriptions, and
// unsubscribe one. A token is what it is for, the subscription and when it was issued, signed
// with the office's alert key (HMAC-SHA256, 128 bits kept) over the office id too: nothing per
// link is stored, none can be made without the key, and one is refused under another office's
// address. Confirm links work 7 days, manage links 90 (every alert carries a fresh one),
// unsubscribe links for ever (a months-old email must still unsubscribe). The same key hides
// email addresses in the sign-up counters.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../platform/db/database.js';
import { uuidBytes, uuidFromBytes } from '../../platform/ids.js';
import * as repo from './alerts.repo.js';

export type TokenPurpose = 'confirm' | 'manage' | 'unsubscribe';
const CODE: Record<TokenPurpose, number> = { confirm: 1, manage: 2, unsubscribe: 3 };
const DAY_MS = 86_400_000;
export const MAX_AGE_MS: Record<TokenPurpose, number | null> = { confirm: 7 * DAY_MS, manage: 90 * DAY_MS, unsubscribe: null };

const BODY = 23; // purpose (1) | subscription id (16) | issued ms (6)
const MAC = 16;
const PATTERN = /^[A-Za-z0-9_-]{52}$/;

// Keys never change once made; reading them once per process is enough.
const keys = new Map<string, Buffer>();

async function keyOf(db: Executor, officeId: string): Promise<Buffer> {
  let key = keys.get(officeId);
  if (!key) {
    key = await repo.keyOf(db, officeId);
    keys.set(officeId, key);
  }
  return key;
}

const mac = (key: Buffer, officeId: string, body: Buffer) => createHmac('sha256', key).update(`alerts.${officeId}.`).update(body).digest().subarray(0, MAC);

export async function issueToken(db: Executor, officeId: string, purpose: TokenPurpose, subscriptionId: string, now = Date.now()): Promise<string> {
  const body = Buffer.alloc(BODY);
  body[0] = CODE[purpose];
  uuidBytes(subscriptionId).copy(body, 1);
  body.writeUIntBE(now, 17, 6);
  return Buffer.concat([body, mac(await keyOf(db, officeId), officeId, body)]).toString('base64url');
}

export type TokenCheck = { subscriptionId: string } | 'expired' | null;

/** The subscription a token names for this purpose; null for anything forged, altered, another office's or another purpose's; 'expired' once too old. */
export async function checkToken(db: Executor, officeId: string, purpose: TokenPurpose, token: string, now = Date.now()): Promise<TokenCheck> {
  if (!PATTERN.test(token)) return null;
  const raw = Buffer.from(token, 'base64url');
  // One spelling per token: trailing bits that decode to the same bytes are refused too.
  if (raw.length !== BODY + MAC || raw.toString('base64url') !== token) return null;
  const body = raw.subarray(0, BODY);
  if (body[0] !== CODE[purpose] || !timingSafeEqual(mac(await keyOf(db, officeId), officeId, body), raw.subarray(BODY))) return null;
  const maxAge = MAX_AGE_MS[purpose];
  if (maxAge !== null && now - body.readUIntBE(17, 6) > maxAge) return 'expired';
  return { subscriptionId: uuidFromBytes(body.subarray(1, 17)) };
}

/** An email address as the per-address limit keeps it: an HMAC under the office's key. */
export async function emailHash(db: Executor, officeId: string, email: string): Promise<Buffer> {
  return createHmac('sha256', await keyOf(db, officeId)).update(`email.${email.toLowerCase()}`).digest();
}
