// @mentions in a note: the composer writes `@[Display Name](user:<uuid>)`; the server reads
// the ids back, and each must be active staff of the office who may read the case.
import { MENTION_PATTERN } from '../../../contract/case-work.js';
import type { Executor } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { mayRead, staffByIds, type CaseRef, type StaffMember } from '../cases/cases.access.js';

export function mentionedIds(body: string): string[] {
  return [...new Set([...body.matchAll(MENTION_PATTERN)].map((m) => m[2]!.toLowerCase()))];
}

/** The staff a note mentions, checked; an unknown, foreign or unqualified one → 400 on body. */
export async function checkMentions(db: Executor, officeId: string, c: CaseRef, body: string): Promise<StaffMember[]> {
  const ids = mentionedIds(body);
  if (ids.length > 50) throw new DomainError('validation_failed', { field: 'body', message: 'A note may mention at most 50 people' });
  const found = await staffByIds(db, officeId, ids);
  return ids.map((id) => {
    const u = found.get(id);
    if (!u) throw new DomainError('validation_failed', { field: 'body', message: `The note mentions someone who is not staff of this office (user:${id})` });
    if (!mayRead(u, c)) throw new DomainError('validation_failed', { field: 'body', message: `${u.displayName} may not read this case, so cannot be mentioned` });
    return u;
  });
}

/** The body as plain text: mention tokens shown as @Name (emails, timeline summaries). */
export const plainText = (body: string) => body.replace(MENTION_PATTERN, (_m, name: string) => `@${name}`);
