// The SMS keywords carriers and providers standardise: STOP and its synonyms opt a number out
// of all texts, START and its synonyms opt it back in, HELP and INFO ask who is texting. A
// keyword is the whole message (any case, surrounding spaces and a closing . or ! allowed), as
// Twilio matches them. A keyword's effect is applied (opt-out, the consent ledger of every
// record holding the number, the HELP answer); the message itself is still filed on the
// sender's open case when there is one (a "Yes" may answer a caseworker's question, a "Help!"
// may be a plea), and kept unfiled only when there is none (sms.reader.ts).
//
// STOP withdraws SMS consent for every purpose; START grants it back for casework only:
// outreach and surveys need an opt-in of their own, which a START after a STOP is not. YES is
// START only for a number that is opted out; otherwise it is an ordinary answer.
import { PURPOSES } from '../../../contract/constituents.js';
import type { Executor } from '../../platform/db/database.js';
import type { Scope } from '../../platform/scope.js';
import { recordByPhone } from '../constituents/constituents.consent.js';
import { enqueueSms } from '../messages/messages.outbox.js';
import * as repo from './sms.repo.js';

export type KeywordKind = 'stop' | 'start' | 'help';

const KEYWORDS: Record<string, KeywordKind> = {
  STOP: 'stop', STOPALL: 'stop', UNSUBSCRIBE: 'stop', CANCEL: 'stop', END: 'stop', QUIT: 'stop',
  START: 'start', YES: 'start', UNSTOP: 'start',
  HELP: 'help', INFO: 'help',
};

/** Synonyms of START that are also everyday answers: START only when the number is opted out. */
export const AMBIGUOUS_START = new Set(['YES']);

export function keywordOf(body: string): { kind: KeywordKind; word: string } | null {
  const word = body.trim().replace(/[.!]+$/, '').toUpperCase();
  const kind = KEYWORDS[word];
  return kind ? { kind, word } : null;
}

/** `receivedAt`: when the provider delivered it to us, the order STOP and START are applied in. */
export type KeywordMessage = { phone: string; word: string; kind: KeywordKind; messageSid: string; body: string; helpText: string | null; receivedAt: Date;
  /** The open case the message is filed on, and its sender: the consent change shows on its timeline. */
  onCase?: { caseId: string; constituentId: string } };

/** What a keyword changes: the number's opt-out, the holders' consent, a HELP answer. */
export async function applyKeyword(trx: Executor, scope: Scope, k: KeywordMessage): Promise<void> {
  const evidence = `Texted "${k.body.trim().slice(0, 160)}" from ${k.phone} (message ${k.messageSid})`;
  if (k.kind === 'stop') {
    await repo.optOut(trx, scope.officeId, k.phone, k.word, k.receivedAt);
    await recordByPhone(trx, scope, k.phone, { channel: 'sms', purposes: PURPOSES, status: 'withdrawn', source: 'sms_keyword', evidence, effectiveAt: k.receivedAt }, k.onCase);
  } else if (k.kind === 'start') {
    await repo.optIn(trx, scope.officeId, k.phone, k.word, k.receivedAt);
    await recordByPhone(trx, scope, k.phone, { channel: 'sms', purposes: ['casework'], status: 'granted', source: 'sms_keyword', evidence, effectiveAt: k.receivedAt }, k.onCase);
  } else if (k.helpText) {
    // Answered even to an opted-out number: carriers require HELP to be answered whatever the opt-in state.
    await enqueueSms(trx, scope, { to: k.phone, text: k.helpText, kind: 'sms_help', dedupeKey: `sms-help:${k.messageSid}` });
  }
}
