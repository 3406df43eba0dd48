// The closure message: when a status change resolves (or closes) a case and the request asked
// to tell the resident, the requester gets an email, from a template's approved text (in their
// language when approved, never a draft) or the default text, ending with one rating link per
// score; so do the requesters of cases marked duplicate of it, each rating their own case (and
// in their own language). A casework hook, so casework does not depend on this module; it runs in the status change's transaction, so a refusal (nobody to email, an
// unknown template) leaves the case as it was.
import type { Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { withDb, type Scope } from '../../platform/scope.js';
import type { Constituent } from '../../../contract/constituents.js';
import { onCaseChange, type CaseChange } from '../cases/cases.hooks.js';
import { duplicateRequesterCases } from '../cases/cases.links.js';
import * as cases from '../cases/cases.service.js';
import * as constituents from '../constituents/constituents.service.js';
import * as users from '../users/users.service.js';
import { render } from './messages.merge.js';
import { enqueueEmail } from './messages.outbox.js';
import { emailDecision, mergeValues } from './messages.replies.js';
import { issueToken } from './ratings.service.js';
import { checkText } from './templates.service.js';
import { usableTemplate } from './templates.workflow.js';
import * as offices from '../offices/offices.service.js';

export const CLOSURE_SUBJECT = 'Your case {{case.reference}} has been resolved';
export const CLOSURE_BODY = `Dear {{constituent.given_name}},

Your case {{case.reference}} ("{{case.subject}}") has been resolved.

{{case.resolution_summary}}

With best wishes,
{{staff.display_name}}
{{office.name}}`;

const SCORES = ['very poor', 'poor', 'fair', 'good', 'excellent'];

export function ratingBlock(publicUrl: string, token: string): string {
  const lines = SCORES.map((label, i) => `  ${i + 1} (${label}): ${publicUrl}/rate/${token}?score=${i + 1}`);
  return `How did we do? Choose a score from 1 to 5 (the link opens a page where you send it, and can add a comment):\n${lines.join('\n')}`;
}

async function staffName(scope: Scope): Promise<string> {
  if (scope.actor.type !== 'user') return scope.actor.label;
  return (await users.get(scope, scope.actor.id)).displayName;
}

export async function closureOnCaseChange(trx: Trx, scope: Scope, change: CaseChange, publicUrl: string): Promise<void> {
  const { before, after, options } = change;
  if (!options?.notifyResident) return;
  const resolving = change.kind === 'status_changed' && after.resolved_at !== null && before?.resolved_at == null;
  if (!resolving) throw new DomainError('validation_failed', { field: 'notifyResident', message: 'A closure message is sent only when the case is being resolved or closed' });
  const s = withDb(scope, trx);
  if (!after.requester_id) throw new DomainError('cannot_contact', { field: 'notifyResident', message: 'The case has no requester to send a closure message to' });
  const person = await constituents.get(s, after.requester_id);
  const { to, reason } = await emailDecision(trx, scope.officeId, person);
  if (reason || !to) throw new DomainError('cannot_contact', { field: 'notifyResident', message: reason ?? 'No address to send to' });
  const templateId = options.closureTemplateId;
  // A template's approved text in each recipient's language (else its default language); never a draft.
  const textFor = async (recipient: Constituent) => {
    if (!templateId) return { subject: CLOSURE_SUBJECT, body: CLOSURE_BODY, template: null };
    const t = await usableTemplate(trx, scope.officeId, templateId, { field: 'closureTemplateId', preferredLanguages: [recipient.preferredLanguage] });
    checkText(t);
    return { subject: t.subject, body: t.body, template: t };
  };
  // Refused before anything is queued when the template cannot be used.
  const requesterText = await textFor(person);
  // Inside the status change: the changer's own read of the case is not a separate read.
  const c = await cases.load(trx, scope.officeId, after.id);
  const names = { office: (await offices.get(s)).name, staff: await staffName(s) };
  // Each recipient rates their own case: the requester this one, a duplicate's requester theirs.
  const queueFor = async (recipient: Constituent, address: string, ratedCaseId: string, text: Awaited<ReturnType<typeof textFor>>) => {
    const values = mergeValues(c, recipient, names);
    const token = await issueToken(trx, scope.officeId, ratedCaseId);
    await enqueueEmail(trx, s, {
      to: address, subject: render(text.subject, values).trim(), text: `${render(text.body, values).trimEnd()}\n\n${ratingBlock(publicUrl, token)}\n`,
      caseId: after.id, constituentId: recipient.id, kind: 'closure', template: text.template,
    });
  };
  await queueFor(person, to, after.id, requesterText);
  // The closure is a public update: the people whose reports were marked duplicate of this case
  // hear of it too (those who may be emailed; never for a sensitive case).
  if (after.is_sensitive) return;
  for (const dup of await duplicateRequesterCases(trx, scope.officeId, after.id)) {
    if (dup.constituentId === person.id) continue;
    const other = await constituents.get(s, dup.constituentId);
    const decision = await emailDecision(trx, scope.officeId, other);
    if (!decision.reason && decision.to) await queueFor(other, decision.to, dup.caseId, await textFor(other));
  }
}

/** Registers the hook (idempotent: hooks are keyed by name). */
export function registerClosureHook(publicUrl: string): void {
  onCaseChange('messages.closure', (trx, scope, change) => closureOnCaseChange(trx, scope, change, publicUrl));
}
