// The resident's side of an electronic privacy release: look a signing request up by the
// token in its link under its office's address, and sign it. Signing records exactly what the
// resident typed and saw, where from and when, hashes those fields (referrals.release-hash.ts),
// renders and stores the PDF, and marks the request signed; the link cannot be used again. An
// unknown, expired, used or revoked link (another office's link is unknown) writes nothing.
// The page itself is the portal's (portal.release-routes.ts); its words come from the
// portal's catalogues, chosen by the reason and problem codes here.
import type { Database } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { systemScope } from '../../platform/scope.js';
import { currentStorage } from '../../platform/storage.js';
import * as audit from '../../platform/audit/audit.js';
import { contentHash, namesMatch, type SignedFields } from './referrals.release-hash.js';
import { releasePdf } from './referrals.release-pdf.js';
import { hashToken, statusOf } from './referrals.releases.js';
import * as repo from './referrals.releases-repo.js';

export type SigningView = { officeName: string; caseReference: string; consentText: string; personName: string; expiresAt: Date; timeZone: string };

/** Why a link cannot be used, as the page says it; 404 for unknown links, 410 for the rest. */
export class LinkUnusable extends DomainError {
  constructor(readonly reason: 'unknown' | 'expired' | 'used' | 'revoked') {
    const messages = {
      unknown: 'This signing link is not valid. Check that you copied the whole link, or ask the office for a new one.',
      expired: 'This signing link has expired. Please contact the office to ask for a new one.',
      used: 'This form has already been signed, and the link cannot be used again. The office has your signed release.',
      revoked: 'This signing link was cancelled by the office. Please contact the office if you still want to give consent.',
    };
    super(reason === 'unknown' ? 'not_found' : 'gone', { message: messages[reason], extra: { reason } });
  }
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** The slug of the office a link belongs to (whatever its state), for links sent to the old /release/<token> address. */
export async function officeOfLink(database: Database, token: string): Promise<string | undefined> {
  return TOKEN.test(token) ? repo.officeSlugOfToken(database.db, hashToken(token)) : undefined;
}

function usable(row: repo.SigningRow | undefined): repo.SigningRow {
  if (!row) throw new LinkUnusable('unknown');
  const status = statusOf(row);
  if (status === 'signed') throw new LinkUnusable('used');
  if (status === 'revoked') throw new LinkUnusable('revoked');
  if (status === 'expired') throw new LinkUnusable('expired');
  return row;
}

const view = (r: repo.SigningRow): SigningView => ({
  officeName: r.office_name, caseReference: r.case_reference, consentText: r.consent_text ?? '', personName: r.display_name ?? '', expiresAt: r.expires_at!, timeZone: r.time_zone,
});

export async function open(database: Database, officeId: string, token: string): Promise<SigningView> {
  if (!TOKEN.test(token)) throw new LinkUnusable('unknown');
  return view(usable(await repo.byTokenHash(database.db, officeId, hashToken(token), { lock: false })));
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export type SignInput = { typedName: string; signedDate: string; consent: boolean; ip: string; userAgent: string };

export type SignProblem = 'consentMissing' | 'nameMissing' | 'nameTooLong' | 'nameMismatch' | 'dateFormat' | 'dateNotToday';

/** A problem with what the resident entered: the page shows it next to the field, in the resident's language (by `problem`). */
export class SignRefused extends DomainError {
  constructor(field: 'typedName' | 'signedDate' | 'consent', readonly problem: SignProblem, message: string, readonly values: { today?: string } = {}) {
    super('validation_failed', { field, message });
  }
}

function checkInput(r: repo.SigningRow, v: SignInput): void {
  if (!v.consent) throw new SignRefused('consent', 'consentMissing', 'Tick the box to confirm that you give your consent.');
  const name = v.typedName.trim();
  if (!name) throw new SignRefused('typedName', 'nameMissing', 'Type your full name.');
  if (name.length > 200) throw new SignRefused('typedName', 'nameTooLong', 'The name is too long (at most 200 characters).');
  const candidates = [r.display_name, [r.given_name, r.family_name].filter(Boolean).join(' '), [r.preferred_name, r.family_name].filter(Boolean).join(' '), r.organisation_name];
  if (!namesMatch(name, candidates)) throw new SignRefused('typedName', 'nameMismatch', 'The name typed does not match the name the office has for the person.');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v.signedDate)) throw new SignRefused('signedDate', 'dateFormat', "Enter today's date as year-month-day.");
  // The resident may be a time zone away from the office: a day either side is accepted.
  const now = Date.now();
  const allowed = [-86_400_000, 0, 86_400_000].map((d) => todayIn(r.time_zone, new Date(now + d)));
  if (!allowed.includes(v.signedDate)) throw new SignRefused('signedDate', 'dateNotToday', `Enter today's date (${allowed[1]}).`, { today: allowed[1]! });
}

export async function sign(database: Database, officeId: string, token: string, v: SignInput): Promise<{ officeName: string; caseReference: string; hash: string }> {
  if (!TOKEN.test(token)) throw new LinkUnusable('unknown');
  const storage = currentStorage();
  let stored: string | null = null;
  try {
    return await database.db.transaction().execute(async (trx) => {
      const row = usable(await repo.byTokenHash(trx, officeId, hashToken(token), { lock: true }));
      checkInput(row, v);
      const fields: SignedFields = {
        caseReference: row.case_reference, constituentId: row.constituent_id, consentText: row.consent_text ?? '', typedName: v.typedName.trim(),
        signedDate: v.signedDate, ip: v.ip.slice(0, 100), userAgent: v.userAgent.slice(0, 500), signedAt: new Date().toISOString(),
      };
      const hash = contentHash(fields);
      const pdf = await releasePdf({ officeName: row.office_name, fields, hash, releaseId: row.id });
      const key = `releases/${row.office_id}/${row.id}.pdf`;
      const obj = await storage.put(key, pdf, { contentType: 'application/pdf', maxBytes: 5 * 2 ** 20 });
      stored = key;
      await repo.update(trx, row.office_id, row.id, {
        status: 'signed', typed_name: fields.typedName, signed_date: fields.signedDate, signer_ip: fields.ip, signer_user_agent: fields.userAgent,
        signed_at: new Date(fields.signedAt), content_hash: hash, file_key: key, file_name: `privacy-release-${row.case_reference}`, file_type: 'application/pdf',
        file_size: obj.size, file_sha256: obj.sha256,
      });
      const scope = systemScope(trx, row.office_id, `${fields.typedName} (e-signature)`);
      await audit.record(trx, scope, {
        entity: 'privacy_release', id: row.id, action: 'signed', caseId: row.case_id, constituentId: row.constituent_id,
        after: { summary: `Privacy release signed electronically by ${fields.typedName}`, typedName: fields.typedName, signedDate: fields.signedDate, contentHash: hash, ip: fields.ip },
      });
      return { officeName: row.office_name, caseReference: row.case_reference, hash };
    });
  } catch (err) {
    if (stored) await storage.delete(stored);
    throw err;
  }
}
