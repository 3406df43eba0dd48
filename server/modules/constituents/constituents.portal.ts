// What a resident signed in to the portal may read and change of the records that hold their
// email address (an account speaks for every live record holding it, since duplicates are
// common): their contact preferences and consent, changed through the same ledger and audit
// as staff changes (source 'portal'), and their own data for download (never staff labels,
// custom fields or the other members of a household).
import { CHANNELS, PURPOSES, type Consent, type ContactChannel, type ContactPurpose } from '../../../contract/constituents.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { withDb, type Scope } from '../../platform/scope.js';
import { presentConsent, record } from './constituents.consent.js';
import * as ledger from './constituents.ledger-repo.js';
import * as repo from './constituents.repo.js';
import { get, update } from './constituents.service.js';

/** The ids of the live records of the office holding this email, most recently changed first. */
export const recordsWithEmail = (db: Executor, officeId: string, email: string) => repo.liveHoldersOfEmail(db, officeId, email.toLowerCase());

export type ConsentSetting = { channel: ContactChannel; purpose: ContactPurpose; isOn: boolean; since: Date | null };

export type ContactState = {
  preferredChannel: ContactChannel | null;
  preferredLanguage: string | null;
  /** The office marked a record "do not contact": nothing is sent whatever the settings. */
  isDoNotContact: boolean;
  settings: ConsentSetting[];
  history: Consent[];
};

/**
 * The resident's settings across their records: preferences of the most recently changed one,
 * and per channel and purpose the latest statement on any of them (without one, casework is
 * on — replies about their own requests need no separate consent — and the rest off).
 */
export async function contactState(db: Executor, officeId: string, ids: string[]): Promise<ContactState> {
  const rows = (await Promise.all(ids.map((id) => repo.get(db, officeId, id)))).filter((r) => r !== undefined);
  const ledgers = (await Promise.all(ids.map((id) => ledger.consentsOf(db, officeId, id)))).flat()
    .sort((a, b) => b.effective_at.getTime() - a.effective_at.getTime() || b.recorded_at.getTime() - a.recorded_at.getTime());
  const now = Date.now();
  const settings = CHANNELS.flatMap((channel) => PURPOSES.map((purpose): ConsentSetting => {
    const latest = ledgers.find((l) => l.channel === channel && l.purpose === purpose && l.effective_at.getTime() <= now);
    return { channel, purpose, isOn: latest ? latest.status === 'granted' : purpose === 'casework', since: latest?.effective_at ?? null };
  }));
  return {
    preferredChannel: (rows[0]?.preferred_channel ?? null) as ContactChannel | null,
    preferredLanguage: rows[0]?.preferred_language ?? null,
    isDoNotContact: rows.some((r) => r.do_not_contact),
    settings,
    history: ledgers.map(presentConsent),
  };
}

export type ContactChange = {
  preferredChannel: ContactChannel;
  preferredLanguage: string;
  /** The settings wanted: every channel and purpose pair that is on. */
  on: ReadonlySet<`${ContactChannel}.${ContactPurpose}`>;
  /** What the resident agreed to or withdrew, in their words, for the ledger's evidence. */
  evidence: (s: ConsentSetting) => string;
};

/** Applies the resident's changes to each of their records in one transaction: preferences edited, each changed setting a new ledger statement (source 'portal'); all audited. Returns how many statements were recorded. */
export async function changeContact(scope: Scope, ids: string[], change: ContactChange): Promise<number> {
  return inTransaction(scope.db, async (trx) => {
    const s = withDb(scope, trx);
    const before = await contactState(trx, scope.officeId, ids);
    const changed = before.settings.filter((c) => change.on.has(`${c.channel}.${c.purpose}`) !== c.isOn);
    for (const id of ids) {
      const row = await repo.get(trx, scope.officeId, id);
      if (row && (row.preferred_channel !== change.preferredChannel || row.preferred_language !== change.preferredLanguage)) {
        await update(s, id, { preferredChannel: change.preferredChannel, preferredLanguage: change.preferredLanguage });
      }
      for (const c of changed) {
        await record(s, id, { channel: c.channel, purpose: c.purpose, status: c.isOn ? 'withdrawn' : 'granted', source: 'portal', evidence: change.evidence({ ...c, isOn: !c.isOn }).slice(0, 2000) });
      }
    }
    return changed.length * ids.length;
  });
}

/** The resident's own records as a download shows them: names, preferences, contact points, flags and the whole consent ledger. */
export async function recordsForExport(scope: Scope, ids: string[]) {
  return Promise.all(ids.map(async (id) => {
    const c = await get(scope, id);
    return {
      id: c.id, kind: c.kind, displayName: c.displayName, givenName: c.givenName, familyName: c.familyName, preferredName: c.preferredName,
      organisationName: c.organisationName, dateOfBirth: c.dateOfBirth, preferredChannel: c.preferredChannel, preferredLanguage: c.preferredLanguage,
      doNotContact: c.doNotContact, bulkOptOut: c.bulkOptOut, unsubscribed: c.unsubscribed, createdAt: c.createdAt, updatedAt: c.updatedAt,
      emails: c.emails.map((e) => ({ email: e.email, type: e.type, isPrimary: e.isPrimary, status: e.status })),
      phones: c.phones.map((p) => ({ number: p.number, type: p.type, isPrimary: p.isPrimary, status: p.status })),
      addresses: c.addresses.map((a) => ({ line1: a.line1, line2: a.line2, locality: a.locality, postcode: a.postcode, country: a.country, type: a.type, isPrimary: a.isPrimary, status: a.status })),
      consents: (await ledger.consentsOf(scope.db, scope.officeId, id)).map(presentConsent)
        .map((k) => ({ channel: k.channel, purpose: k.purpose, status: k.status, source: k.source, evidence: k.evidence, effectiveAt: k.effectiveAt, recordedAt: k.recordedAt })),
    };
  }));
}
