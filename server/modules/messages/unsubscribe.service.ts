// Unsubscribe links on bulk mail. A link's token names the office, the person and the
// purpose (outreach or surveys) and is signed with the office's key (HMAC-SHA256, 128 bits
// kept): nothing per message is stored, a link cannot be made for anyone else without the key,
// and a made-up or altered token is refused like an unknown one. Following the link records a
// withdrawal of email consent for that purpose in the consent ledger (source
// 'email_unsubscribe'); doing it twice records nothing more. The same token in the subject of
// a mail to the office's intake address (the List-Unsubscribe mailto) does the same.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ContactPurpose } from '../../../contract/constituents.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { uuidBytes, uuidFromBytes } from '../../platform/ids.js';
import { systemScope, type Scope } from '../../platform/scope.js';
import { recordUnsubscribe } from '../constituents/constituents.consent.js';
import * as constituents from '../constituents/constituents.service.js';
import * as offices from '../offices/offices.service.js';
import * as repo from './unsubscribe.repo.js';

export type UnsubscribePurpose = Extract<ContactPurpose, 'outreach' | 'surveys'>;
const PURPOSE_CODE: Record<UnsubscribePurpose, number> = { outreach: 1, surveys: 2 };
const PURPOSE_OF = new Map<number, UnsubscribePurpose>(Object.entries(PURPOSE_CODE).map(([p, c]) => [c, p as UnsubscribePurpose]));
export const PURPOSE_LABEL: Record<UnsubscribePurpose, string> = { outreach: 'news and outreach emails', surveys: 'survey emails' };

/** office (16 bytes) | constituent (16) | purpose (1) | MAC (16), base64url: 66 characters. */
const BODY = 33;
const MAC = 16;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{66}$/;

const mac = (key: Buffer, body: Buffer) => createHmac('sha256', key).update(body).digest().subarray(0, MAC);

// Keys never change once made; reading them once per process is enough.
const keys = new Map<string, Buffer>();

async function keyFor(db: Executor, officeId: string, create: boolean): Promise<Buffer | null> {
  const cached = keys.get(officeId);
  if (cached) return cached;
  const key = create ? await repo.keyOf(db, officeId) : await repo.existingKey(db, officeId);
  if (key) keys.set(officeId, key);
  return key;
}

export async function issueToken(db: Executor, officeId: string, constituentId: string, purpose: UnsubscribePurpose): Promise<string> {
  const body = Buffer.concat([uuidBytes(officeId), uuidBytes(constituentId), Buffer.from([PURPOSE_CODE[purpose]])]);
  return Buffer.concat([body, mac((await keyFor(db, officeId, true))!, body)]).toString('base64url');
}

export type UnsubscribeTarget = { officeId: string; constituentId: string; purpose: UnsubscribePurpose; officeName: string };

const unknown = () => new DomainError('not_found', { message: 'This unsubscribe link is not valid. Please check that you copied the whole link.' });

/** What a token unsubscribes from; anything forged, altered or unknown is refused alike (404). */
export async function resolveToken(db: Executor, token: string): Promise<UnsubscribeTarget> {
  if (!TOKEN_PATTERN.test(token)) throw unknown();
  const raw = Buffer.from(token, 'base64url');
  // One spelling per token: trailing bits that decode to the same bytes are refused too.
  if (raw.length !== BODY + MAC || raw.toString('base64url') !== token) throw unknown();
  const body = raw.subarray(0, BODY);
  const officeId = uuidFromBytes(body.subarray(0, 16));
  const purpose = PURPOSE_OF.get(body[32]!);
  const key = purpose ? await keyFor(db, officeId, false) : null;
  if (!key || !timingSafeEqual(mac(key, body), raw.subarray(BODY))) throw unknown();
  const office = await offices.get(systemScope(db, officeId)).catch(() => null);
  if (!office) throw unknown();
  return { officeId, constituentId: uuidFromBytes(body.subarray(16, 32)), purpose: purpose!, officeName: office.name };
}

/**
 * Records the withdrawal (once); `evidence` says how it was made. An erased person's link is
 * refused as unknown, and so is another office's when `officeId` says whose mail it came in.
 */
export async function unsubscribe(db: Executor, token: string, evidence: string, officeId?: string): Promise<UnsubscribeTarget & { recorded: boolean }> {
  return inTransaction(db, async (trx) => {
    const target = await resolveToken(trx, token);
    if (officeId !== undefined && target.officeId !== officeId) throw unknown();
    const scope = systemScope(trx, target.officeId, 'resident (unsubscribe link)');
    const r = await recordUnsubscribe(trx, scope, target.constituentId, { channel: 'email', purpose: target.purpose, evidence }).catch((err: unknown) => {
      throw err instanceof DomainError && err.code === 'not_found' ? unknown() : err;
    });
    return { ...target, recorded: r.recorded };
  });
}

/** The subject of a List-Unsubscribe mailto, as it arrives at the intake address. */
export const UNSUBSCRIBE_SUBJECT = /^\s*unsubscribe\s+([A-Za-z0-9_-]{66})\s*$/i;

/**
 * A person's unsubscribe link, for mail the office sends through another tool (a mail merge
 * exported to a newsletter service): following it records the withdrawal here all the same.
 */
export async function linkFor(scope: Scope, constituentId: string, purpose: UnsubscribePurpose, publicUrl: string): Promise<{ url: string; purpose: UnsubscribePurpose }> {
  const person = await constituents.get(scope, constituentId);
  return { url: `${publicUrl}/unsubscribe/${await issueToken(scope.db, scope.officeId, person.id, purpose)}`, purpose };
}

/**
 * The headers of a bulk email: List-Unsubscribe with the one-click link (and a mailto when
 * given), List-Unsubscribe-Post for RFC 8058, and Precedence / Auto-Submitted so
 * auto-responders stay quiet.
 */
export async function listUnsubscribeHeaders(
  db: Executor, officeId: string, constituentId: string, purpose: UnsubscribePurpose, publicUrl: string, mailto: string | null,
): Promise<Record<string, string>> {
  const token = await issueToken(db, officeId, constituentId, purpose);
  // The mailto goes to the office's intake address, where intake reads the token from the subject (UNSUBSCRIBE_SUBJECT).
  return {
    'List-Unsubscribe': `<${publicUrl}/unsubscribe/${token}>${mailto ? `, <mailto:${mailto}?subject=unsubscribe%20${token}>` : ''}`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    Precedence: 'bulk',
    'Auto-Submitted': 'auto-generated',
  };
}
