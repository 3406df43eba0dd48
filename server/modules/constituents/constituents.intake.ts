// What intake asks of the registry: who sent this (by email or E.164 phone), a provisional
// record for a sender nobody knows (staff confirm or merge it later), and what a bounce or a
// spam complaint means for a person's contact points; what a resident chose on the portal.
import * as audit from '../../platform/audit/audit.js';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { record as recordConsent } from './constituents.consent.js';
import * as repo from './constituents.repo.js';

export type Sender = { email?: string | null; phone?: string | null };

/** The live record with this email, else this phone; a confirmed record wins over a provisional one. */
export async function findSender(db: Executor, officeId: string, s: Sender): Promise<{ id: string; provisional: boolean } | null> {
  if (s.email) {
    const hit = await repo.byEmail(db, officeId, s.email.toLowerCase());
    if (hit) return hit;
  }
  if (s.phone) return (await repo.byPhone(db, officeId, s.phone)) ?? null;
  return null;
}

/** Splits "Ada Lovelace" or "Lovelace, Ada"; an address alone gives its local part as the name. */
export function nameOf(display: string | null, s: Sender): { given_name: string | null; family_name: string } {
  const name = (display ?? '').replace(/["']/g, '').replace(/\s+/g, ' ').trim().slice(0, 200);
  if (name && !name.includes('@')) {
    const comma = name.indexOf(',');
    if (comma > 0) return { given_name: name.slice(comma + 1).trim() || null, family_name: name.slice(0, comma).trim() };
    const parts = name.split(' ');
    return parts.length > 1 ? { given_name: parts.slice(0, -1).join(' '), family_name: parts.at(-1)! } : { given_name: null, family_name: name };
  }
  return { given_name: null, family_name: (s.email?.split('@')[0] ?? s.phone ?? 'Unknown sender').slice(0, 200) };
}

export async function createProvisional(trx: Executor, scope: Scope, display: string | null, s: Sender, channel: string): Promise<string> {
  const { id } = await repo.insert(trx, scope.officeId, { kind: 'person', ...nameOf(display, s), provisional: true });
  if (s.email) await repo.replaceEmails(trx, scope.officeId, id, [{ email: s.email.toLowerCase(), type: 'personal', is_primary: true, status: 'valid' }]);
  if (s.phone) await repo.replacePhones(trx, scope.officeId, id, [{ phone_e164: s.phone, type: 'mobile', is_primary: true, status: 'valid' }]);
  await audit.record(trx, scope, {
    entity: 'constituent', id, action: 'created', constituentId: id,
    after: { provisional: true, channel, email: s.email ?? null, phone: s.phone ?? null, summary: `Provisional record from a ${channel} message; confirm or merge it` },
  });
  return id;
}

/** Marks the address bounced (hard) or counts a soft bounce, with an event on each person holding it. */
export async function recordBounce(trx: Executor, scope: Scope, email: string, bounce: { isHard: boolean; status: string; action: string }): Promise<number> {
  const rows = await repo.recordBounce(trx, scope.officeId, email.toLowerCase(), bounce.isHard);
  for (const r of rows) {
    await audit.record(trx, scope, {
      entity: 'constituent', id: r.constituent_id, action: 'email_bounced', constituentId: r.constituent_id,
      after: { email, status: r.status, dsn: bounce.status, summary: `${bounce.isHard ? 'Hard' : 'Soft'} bounce from ${email} (${bounce.status || bounce.action || 'no status'})${r.status === 'bounced' ? ': address marked bounced' : ''}` },
    });
  }
  return rows.length;
}

/** A spam complaint from a mailbox provider: the person is opted out of bulk mail. */
export async function recordComplaint(trx: Executor, scope: Scope, email: string): Promise<number> {
  const holders = await repo.constituentsWithEmail(trx, scope.officeId, email.toLowerCase());
  const changed = await repo.optOutOfBulk(trx, scope.officeId, holders.map((h) => h.constituent_id));
  for (const r of changed) {
    await audit.record(trx, scope, {
      entity: 'constituent', id: r.id, action: 'updated', constituentId: r.id,
      before: { bulkOptOut: false }, after: { bulkOptOut: true, summary: `Opted out of bulk mail: ${email} reported our mail as spam` },
    });
  }
  return changed.length;
}

/** Staff checked a provisional record: it becomes an ordinary one. */
export async function confirmProvisional(trx: Executor, scope: Scope, id: string): Promise<boolean> {
  const row = await repo.confirmProvisional(trx, scope.officeId, id);
  if (row) await audit.record(trx, scope, { entity: 'constituent', id, action: 'updated', constituentId: id, before: { provisional: true }, after: { provisional: false, summary: 'Provisional record confirmed' } });
  return !!row;
}

/**
 * A resident's choices on the portal: their consent to be contacted about their request on
 * the channel they chose (in the ledger, source 'portal', with the words they agreed to as
 * evidence) and, for a record made for this request, that channel and their language as
 * preferences (a record on file keeps its own).
 */
export async function recordPortalChoices(
  trx: Executor, scope: Scope, constituentId: string, c: { channel: 'email' | 'sms'; language: string; evidence: string; effectiveAt: Date; isNew: boolean },
): Promise<void> {
  await recordConsent(scope, constituentId, { channel: c.channel, purpose: 'casework', status: 'granted', source: 'portal', evidence: c.evidence.slice(0, 2000), effectiveAt: c.effectiveAt.toISOString() });
  if (!c.isNew) return;
  await repo.update(trx, scope.officeId, constituentId, { preferred_channel: c.channel, preferred_language: c.language });
  await audit.record(trx, scope, {
    entity: 'constituent', id: constituentId, action: 'updated', constituentId,
    after: { preferredChannel: c.channel, preferredLanguage: c.language, summary: `Prefers ${c.channel === 'sms' ? 'text messages' : 'email'} in ${c.language} (chosen on the resident portal)` },
  });
}
