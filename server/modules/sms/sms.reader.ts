// Intake's reader for SMS items: the stored webhook body (Twilio's form fields) read back into
// what intake files. The sender's number is read as E.164 with the office's default region.
// A text has no headers to thread by, so it threads into the sender's most recent open case
// (identity by phone); without one, intake opens a case as for any channel. A keyword (STOP,
// START, HELP and synonyms) is a control message: its effect is applied, and the message is
// filed on the sender's open case when there is one (staff see the "Yes", the "Help!", the
// STOP) or only kept, unfiled, when there is none.
import { openCasesOf } from '../cases/cases.intake.js';
import { findSender } from '../constituents/constituents.intake.js';
import type { Executor } from '../../platform/db/database.js';
import type { Reading } from '../intake/intake.readers.js';
import type { ItemRow } from '../intake/intake.repo.js';
import { AMBIGUOUS_START, applyKeyword, keywordOf } from './sms.keywords.js';
import { isOptedOut } from './sms.repo.js';
import { e164Of, webhookAccountOf } from './sms.settings.js';

/** The media of an MMS: Twilio's MediaUrlN and MediaContentTypeN (links kept; the files are not fetched). */
function mediaOf(p: URLSearchParams): { url: string; contentType: string | null }[] {
  const n = Math.min(Number(p.get('NumMedia') ?? 0) || 0, 10);
  return Array.from({ length: n }, (_, i) => ({ url: p.get(`MediaUrl${i}`) ?? '', contentType: p.get(`MediaContentType${i}`) })).filter((m) => m.url);
}

export async function readSms(item: ItemRow, db: Executor): Promise<Reading> {
  const p = new URLSearchParams(item.raw.toString('utf8'));
  const from = p.get('From') ?? '';
  const body = p.get('Body') ?? '';
  const sid = p.get('MessageSid') ?? p.get('SmsSid') ?? item.idempotency_key;
  const phone = from ? await e164Of(db, item.office_id, from) : null;
  const sender = phone ? await findSender(db, item.office_id, { phone }) : null;
  const open = sender ? await openCasesOf(db, item.office_id, sender.id, 1) : [];
  const threadCaseId = open[0]?.id ?? null;
  const keyword = phone ? await keywordFor(db, item.office_id, phone, body) : null;
  const base: Reading = {
    kind: 'message', senderName: null, senderAddress: (phone ?? from).slice(0, 320) || null, senderEmail: null, senderPhone: phone,
    subject: null, text: body, html: null, replyText: body, messageId: sid, inReplyTo: null, references: [],
    details: { from, to: p.get('To'), media: mediaOf(p), ...(keyword ? { keyword: keyword.word } : {}) },
    threadCaseId,
    // Found above: intake need not look the sender up again.
    constituentId: sender?.id ?? null,
  };
  if (keyword && phone) {
    const account = await webhookAccountOf(db, item.office_id);
    const k = { phone, word: keyword.word, kind: keyword.kind, messageSid: sid, body, helpText: account?.helpText ?? null, receivedAt: item.received_at,
      ...(sender && threadCaseId ? { onCase: { caseId: threadCaseId, constituentId: sender.id } } : {}) };
    return { ...base, isControl: true, onNoise: (trx, scope) => applyKeyword(trx, scope, k) };
  }
  return base;
}

/** The keyword the text is, if any: YES counts as START only for a number that is opted out. */
async function keywordFor(db: Executor, officeId: string, phone: string, body: string) {
  const keyword = keywordOf(body);
  if (keyword && AMBIGUOUS_START.has(keyword.word) && !(await isOptedOut(db, officeId, phone))) return null;
  return keyword;
}
