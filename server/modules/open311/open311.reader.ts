// The Open311 channel's intake reader: the stored form post becomes a Reading. A report
// always opens a case of its service's category (set when the post was accepted and kept in
// the item's details); an update is threaded onto the request it names. The sender's email and
// phone are what the resident typed into the client: they only suggest a record on file.
import type { Executor } from '../../platform/db/database.js';
import type { Reading } from '../intake/intake.readers.js';
import type { ItemRow } from '../intake/intake.repo.js';
import { nameOf, parseForm, readReport, readUpdate } from './open311.form.js';

export type ItemDetails =
  | { kind: 'report'; categoryId: string; serviceName: string; region: string; attributes: { code: string; values: string[] }[]; address: string | null; lat: number | null; lng: number | null; mediaUrl: string | null }
  | { kind: 'update'; caseId: string; region: string; mediaUrl: string | null };

const subjectOf = (serviceName: string, description: string | null) => {
  const first = description?.split('\n')[0]?.trim() ?? '';
  return (first ? `${serviceName}: ${first}` : serviceName).slice(0, 300);
};

export async function readOpen311(item: ItemRow, _db: Executor): Promise<Reading> {
  const details = item.details as ItemDetails;
  const form = parseForm(item.raw.toString('utf8'));
  // The client passes on whatever email or phone the resident typed: a suggestion, not an identity.
  const base = { kind: 'message' as const, html: null, messageId: null, inReplyTo: null, references: [], details: {}, senderUnverified: true };
  if (details.kind === 'update') {
    const u = readUpdate(form, details.region);
    return {
      ...base, senderName: nameOf(u), senderAddress: u.email ?? u.phone, senderEmail: u.email, senderPhone: u.phone,
      subject: `Update on ${u.serviceRequestId}`, text: u.description, replyText: u.description, threadCaseId: details.caseId,
    };
  }
  const r = readReport(form, details.region);
  const subject = subjectOf(details.serviceName, r.description);
  return {
    ...base, senderName: nameOf(r), senderAddress: r.email ?? r.phone, senderEmail: r.email, senderPhone: r.phone,
    subject, text: r.description, replyText: r.description,
    newCase: {
      subject, description: r.description ?? '', channel: 'open311', categoryId: details.categoryId,
      location: { address: details.address, lat: details.lat, lng: details.lng },
    },
    alwaysNewCase: true,
  };
}
