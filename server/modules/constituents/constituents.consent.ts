// Consent and contact preferences. The ledger records each statement (granted or
// withdrawn, per channel and purpose) with its source and evidence; `mayContact` is the one
// question every other module asks before contacting someone.
//
// The rules, strictest first:
// 1. a merged record is never contacted (its survivor is);
// 2. do-not-contact stops everything;
// 3. unsubscribe and the bulk opt-out stop outreach and surveys (not replies to casework);
// 4. the channel needs a valid contact point (SMS a valid mobile);
// 5. the latest statement for the channel and purpose decides;
// 6. without one, casework replies are allowed (the person contacted the office: legitimate
//    interest), while outreach and surveys need consent (opt-in, as PECR/GDPR require).
import {
  CHANNELS, PURPOSES, ZRecordConsent, type Consent, type ContactChannel, type ContactDecision, type ContactPurpose, type RecordConsent,
} from '../../../contract/constituents.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import type { Scope } from '../../platform/scope.js';
import * as ledger from './constituents.ledger-repo.js';
import * as repo from './constituents.repo.js';

export function presentConsent(row: ledger.ConsentRow): Consent {
  return {
    id: row.id, channel: row.channel as ContactChannel, purpose: row.purpose as ContactPurpose, status: row.status as Consent['status'],
    source: row.source, evidence: row.evidence, effectiveAt: row.effective_at.toISOString(), recordedAt: row.recorded_at.toISOString(),
    recordedBy: row.recorded_by_label,
  };
}

const POINT_FOR: Record<ContactChannel, 'has_email' | 'has_mobile' | 'has_phone' | 'has_address'> = {
  email: 'has_email', sms: 'has_mobile', phone: 'has_phone', post: 'has_address',
};

/** May the office contact this constituent on this channel for this purpose, and why (not)? */
export async function mayContact(db: Executor, officeId: string, constituentId: string, channel: ContactChannel, purpose: ContactPurpose): Promise<ContactDecision> {
  const facts = await ledger.contactFacts(db, officeId, constituentId);
  if (!facts) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  const latest = await ledger.currentConsent(db, officeId, constituentId, channel, purpose);
  return decide(facts, channel, purpose, latest);
}

type Facts = NonNullable<Awaited<ReturnType<typeof ledger.contactFacts>>>;

function decide(facts: Facts, channel: ContactChannel, purpose: ContactPurpose, latest: ledger.ConsentRow | undefined): ContactDecision {
  const bulk = purpose !== 'casework';
  if (facts.status !== 'active') return { allowed: false, reason: 'merged', detail: 'This record was merged into another; contact the surviving record' };
  if (facts.do_not_contact) return { allowed: false, reason: 'do_not_contact', detail: 'Marked do not contact' };
  if (bulk && facts.unsubscribed) return { allowed: false, reason: 'unsubscribed', detail: 'Unsubscribed from all mailings' };
  if (bulk && facts.bulk_opt_out) return { allowed: false, reason: 'bulk_opt_out', detail: 'Opted out of bulk contact' };
  if (!facts[POINT_FOR[channel]]) {
    const what = { email: 'a valid email address', sms: 'a valid mobile number', phone: 'a valid phone number', post: 'a valid postal address' }[channel];
    return { allowed: false, reason: 'no_contact_point', detail: `No ${what} on record` };
  }
  if (latest?.status === 'withdrawn') return { allowed: false, reason: 'consent_withdrawn', detail: `Consent withdrawn ${latest.effective_at.toISOString().slice(0, 10)} (${latest.source})` };
  if (latest?.status === 'granted') return { allowed: true, reason: 'consent_granted', detail: `Consent given ${latest.effective_at.toISOString().slice(0, 10)} (${latest.source})` };
  return bulk
    ? { allowed: false, reason: 'no_consent', detail: `No consent recorded for ${purpose} by ${channel}` }
    : { allowed: true, reason: 'no_consent_needed', detail: 'Replies about their own casework need no separate consent' };
}

export async function record(scope: Scope, constituentId: string, input: RecordConsent): Promise<Consent> {
  const v = ZRecordConsent.parse(input);
  const effectiveAt = v.effectiveAt ? new Date(v.effectiveAt) : new Date();
  if (effectiveAt.getTime() > Date.now() + 60_000) throw new DomainError('validation_failed', { field: 'effectiveAt', message: 'cannot be in the future' });
  return inTransaction(scope.db, async (trx) => {
    const locked = await repo.lock(trx, scope.officeId, constituentId);
    if (!locked) throw new DomainError('not_found', { message: 'No such constituent in this office' });
    if (locked.status !== 'active') throw new DomainError('conflict', { message: 'This record was merged into another; record consent there' });
    const row = await ledger.insertConsent(trx, scope.officeId, {
      constituent_id: constituentId, channel: v.channel, purpose: v.purpose, status: v.status, source: v.source, evidence: v.evidence,
      effective_at: effectiveAt, recorded_by: scope.actor.type === 'system' ? null : scope.actor.id, recorded_by_label: scope.actor.label,
    });
    const consent = presentConsent(row);
    await audit.record(trx, scope, { entity: 'consent', id: row.id, action: v.status, after: consent, constituentId });
    return consent;
  });
}

/**
 * A statement made on a channel itself (an SMS STOP or START, source 'sms_keyword'), recorded
 * by the system for every live record holding the number; returns their ids. The message it
 * was made in is the evidence, and its time of receipt the effective time (so a STOP and a
 * START processed out of order still read in the order they were sent). `onCase`: the case
 * the message was filed on, whose timeline shows its sender's change of consent.
 */
export async function recordByPhone(
  trx: Executor, scope: Scope, phone: string,
  s: { channel: ContactChannel; purposes: readonly ContactPurpose[]; status: 'granted' | 'withdrawn'; source: 'sms_keyword'; evidence: string; effectiveAt: Date },
  onCase?: { caseId: string; constituentId: string },
): Promise<string[]> {
  const holders = await ledger.holdersOfPhone(trx, scope.officeId, phone);
  for (const constituentId of holders) {
    for (const purpose of s.purposes) {
      const row = await ledger.insertConsent(trx, scope.officeId, {
        constituent_id: constituentId, channel: s.channel, purpose, status: s.status, source: s.source, evidence: s.evidence.slice(0, 2000),
        effective_at: s.effectiveAt, recorded_by: null, recorded_by_label: scope.actor.label,
      });
      const caseId = onCase?.constituentId === constituentId ? onCase.caseId : undefined;
      await audit.record(trx, scope, { entity: 'consent', id: row.id, action: s.status, after: presentConsent(row), constituentId, ...(caseId ? { caseId } : {}) });
    }
  }
  return holders;
}

/**
 * A withdrawal the person made themselves through a link in an email (source
 * 'email_unsubscribe'), recorded by the system. Idempotent: when consent for the channel and
 * purpose is already withdrawn nothing is added (a mail client may post the same click twice).
 */
export async function recordUnsubscribe(
  trx: Executor, scope: Scope, constituentId: string, s: { channel: ContactChannel; purpose: ContactPurpose; evidence: string },
): Promise<{ recorded: boolean }> {
  const locked = await repo.lock(trx, scope.officeId, constituentId);
  if (!locked) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  const latest = await ledger.currentConsent(trx, scope.officeId, constituentId, s.channel, s.purpose);
  if (latest?.status === 'withdrawn') return { recorded: false };
  const row = await ledger.insertConsent(trx, scope.officeId, {
    constituent_id: constituentId, channel: s.channel, purpose: s.purpose, status: 'withdrawn', source: 'email_unsubscribe', evidence: s.evidence.slice(0, 2000),
    effective_at: new Date(), recorded_by: null, recorded_by_label: scope.actor.label,
  });
  await audit.record(trx, scope, { entity: 'consent', id: row.id, action: 'withdrawn', after: presentConsent(row), constituentId });
  return { recorded: true };
}

export async function overview(scope: Scope, constituentId: string) {
  const facts = await ledger.contactFacts(scope.db, scope.officeId, constituentId);
  if (!facts) throw new DomainError('not_found', { message: 'No such constituent in this office' });
  const history = await ledger.consentsOf(scope.db, scope.officeId, constituentId);
  const now = Date.now();
  const current = CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => {
    const latest = history.find((h) => h.channel === channel && h.purpose === purpose && h.effective_at.getTime() <= now);
    return { channel, purpose, decision: decide(facts, channel, purpose, latest), latest: latest ? presentConsent(latest) : null };
  }));
  return {
    flags: { doNotContact: facts.do_not_contact, bulkOptOut: facts.bulk_opt_out, unsubscribed: facts.unsubscribed },
    current,
    history: history.map(presentConsent),
  };
}
