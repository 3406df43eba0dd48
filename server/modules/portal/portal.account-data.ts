// What a signed-in resident sees and changes: the requests of this office whose requester is
// a record holding their address (each with its tracking link when it came through the portal
// or web form, else a read-only page of the account), their contact preferences and consent,
// and a download of their own data. Privacy as on the tracking page: a sensitive case shows
// its reference and status only; never internal notes, staff or other people.
import { CHANNELS, PURPOSES, type ContactChannel, type ContactPurpose } from '../../../contract/constituents.js';
import * as audit from '../../platform/audit/audit.js';
import { inTransaction, type Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import { requestedCase, requestedCases, type PublicCase } from '../cases/cases.public.js';
import { changeContact, contactState, recordsForExport, recordsWithEmail, type ConsentSetting } from '../constituents/constituents.portal.js';
import { issueTrackingToken } from '../intake/intake.form-token.js';
import { itemsFrom, type OwnItem } from '../intake/intake.feed.js';
import { RESIDENT_ACTOR } from './portal.account.js';
import { FormProblems } from './portal.forms.js';
import { LANGUAGES, type Translator } from './portal.i18n.js';
import type { Office } from './portal.service.js';
import { caseTrackView, residentStatus, type ResidentStatus, type TrackView } from './portal.track.js';

export const PAGE_SIZE = 10;

export type Resident = { email: string; ids: string[] };

export const residentOf = async (db: Executor, office: Office, email: string): Promise<Resident> => ({ email, ids: await recordsWithEmail(db, office.id, email) });

export type RequestRow = { reference: string; status: ResidentStatus; topic: string | null; createdAt: Date | null; href: string; isSensitive: boolean };

/** Per case, the first request the resident sent through the portal or web form (what its tracking link names). */
function trackedRequests(items: OwnItem[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of items) if (i.isPortalRequest && i.caseId && !out.has(i.caseId)) out.set(i.caseId, i.id);
  return out;
}

/** A page of the resident's requests, newest first. */
export async function myRequests(db: Executor, office: Office, r: Resident, page: number): Promise<{ items: RequestRow[]; page: number; pages: number; total: number }> {
  const { items, total } = await requestedCases(db, office.id, r.ids, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const tracked = trackedRequests(await itemsFrom(db, office.id, r.ids));
  const rows = await Promise.all(items.map(async (c): Promise<RequestRow> => {
    const itemId = tracked.get(c.id);
    const href = itemId ? `/portal/${office.slug}/track/${await issueTrackingToken(db, office.id, itemId)}` : `/portal/${office.slug}/account/requests/${encodeURIComponent(c.reference)}`;
    const status = residentStatus(c.statusCategory, c.isInitialStatus);
    return c.isSensitive
      ? { reference: c.reference, status, topic: null, createdAt: null, href, isSensitive: true }
      : { reference: c.reference, status, topic: c.categoryName, createdAt: c.createdAt, href, isSensitive: false };
  }));
  return { items: rows, page, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), total };
}

const viewOf = (db: Executor, office: Office, kase: PublicCase, items: OwnItem[]): Promise<TrackView> =>
  caseTrackView(db, office.id, kase, { submittedAt: kase.createdAt, requesterName: null }, async () => new Set(items.filter((i) => i.caseId === kase.id).map((i) => i.id)));

/** One of the resident's requests as a read-only page (404 for anyone else's). */
export async function myRequest(db: Executor, office: Office, r: Resident, reference: string): Promise<TrackView> {
  const kase = await requestedCase(db, office.id, r.ids, reference);
  if (!kase) throw new DomainError('not_found', { message: 'There is no request of yours with this reference' });
  return { ...(await viewOf(db, office, kase, await itemsFrom(db, office.id, r.ids))), canComment: false };
}

export const contactOf = (db: Executor, office: Office, r: Resident) => contactState(db, office.id, r.ids);

const channelOf = (v: unknown) => (CHANNELS as readonly unknown[]).includes(v) ? v as ContactChannel : undefined;

/** Saves the preferences form; returns how many consent statements were recorded. */
export async function savePreferences(db: Executor, office: Office, r: Resident, body: unknown, t: Translator): Promise<number> {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const preferredChannel = channelOf(b.preferredChannel);
  const preferredLanguage = typeof b.preferredLanguage === 'string' && LANGUAGES.includes(b.preferredLanguage) ? b.preferredLanguage : undefined;
  if (!preferredChannel) throw new FormProblems([{ field: 'preferredChannel', key: 'error.accountChannel.required' }]);
  if (!preferredLanguage) throw new FormProblems([{ field: 'preferredLanguage', key: 'error.accountLanguage.required' }]);
  if (!r.ids.length) return 0;
  const on = new Set(CHANNELS.flatMap((c) => PURPOSES.filter((p) => b[`consent.${c}.${p}`] === 'on').map((p) => `${c}.${p}` as const)));
  const evidence = (s: ConsentSetting) => `${s.isOn ? 'Given' : 'Withdrawn'} on the resident portal by ${r.email}, signed in with a link sent to that address: `
    + `"${t.t(`account.prefs.purpose.${s.purpose}`)}: ${t.t(`account.prefs.channel.${s.channel}`)}" ${s.isOn ? 'ticked' : 'unticked'} (${t.lang})`;
  return changeContact(systemScope(db, office.id, RESIDENT_ACTOR), r.ids, { preferredChannel, preferredLanguage, on, evidence });
}

export const consentKey = (channel: ContactChannel, purpose: ContactPurpose) => `consent.${channel}.${purpose}`;

/** Everything the office holds that is the resident's own, as a download: recorded in the audit log of each record. */
export async function myData(db: Executor, office: Office, r: Resident) {
  const scope = systemScope(db, office.id, RESIDENT_ACTOR);
  const items = await itemsFrom(db, office.id, r.ids);
  const records = await recordsForExport(scope, r.ids);
  const cases: PublicCase[] = [];
  for (let page = 1, done = false; !done; page++) {
    const batch = await requestedCases(db, office.id, r.ids, { limit: 100, offset: (page - 1) * 100 });
    cases.push(...batch.items);
    done = batch.items.length < 100;
  }
  const sensitive = new Set(cases.filter((c) => c.isSensitive).map((c) => c.id));
  const requested = new Set(cases.map((c) => c.id));
  const data = {
    generatedAt: new Date().toISOString(),
    office: office.name,
    signedInAs: r.email,
    records,
    requests: await Promise.all(cases.map(async (c) => {
      const v = await viewOf(db, office, c, items);
      return v.isSensitive ? { reference: c.reference, status: v.status } : {
        reference: c.reference, status: v.status, topic: c.categoryName, createdAt: c.createdAt.toISOString(), place: c.address,
        expectedBy: v.details?.expectedAt?.toISOString() ?? null, resolution: v.details?.resolution ?? null,
        history: (v.history ?? []).map((h) => ({ at: h.at.toISOString(), kind: h.kind, status: h.status, text: h.text })),
      };
    })),
    // What they sent on no case or on one of their requests, except a sensitive one (that shows its reference and status only).
    messages: items.filter((i) => !i.caseId || (requested.has(i.caseId) && !sensitive.has(i.caseId))).map((i) => ({
      receivedAt: i.receivedAt.toISOString(), channel: i.channel, kind: i.isPortalComment ? 'portal_comment' : i.isPortalRequest ? 'request' : 'message',
      reference: cases.find((c) => c.id === i.caseId)?.reference ?? null, subject: i.subject, text: i.text,
    })),
  };
  await inTransaction(db, (trx) => audit.recordMany(trx, scope, r.ids.map((id) => ({ entity: 'constituent', id, action: 'portal_data_downloaded', constituentId: id }))));
  return data;
}
