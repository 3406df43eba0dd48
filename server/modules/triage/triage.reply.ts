// The approved reply triage sends: the template's approved text in the resident's language
// (the message's, else their preferred one, else the template's default), merged for the case
// and the person. Never a draft: without an approved version nothing is sent.
import type { Executor } from '../../platform/db/database.js';
import { withDb, type Scope } from '../../platform/scope.js';
import * as cases from '../cases/cases.service.js';
import * as constituents from '../constituents/constituents.service.js';
import type { AckContent } from '../intake/intake.acknowledge.js';
import { render } from '../messages/messages.merge.js';
import { mergeValues } from '../messages/messages.replies.js';
import { approvedText } from '../messages/templates.workflow.js';
import * as offices from '../offices/offices.service.js';

export type ApprovedReply = { content: AckContent; version: number; language: string };

/** The merged approved reply for the case's requester, or null when the template has no approved text. */
export async function approvedReply(trx: Executor, scope: Scope, templateId: string, caseId: string, constituentId: string, languages: (string | null)[]): Promise<ApprovedReply | null> {
  const text = await approvedText(trx, scope.officeId, templateId, languages.filter((l): l is string => !!l));
  if (!text) return null;
  const s = withDb(scope, trx);
  const [c, person, office] = await Promise.all([cases.load(trx, scope.officeId, caseId), constituents.get(s, constituentId), offices.get(s)]);
  const values = mergeValues(c, person, { office: office.name, staff: office.name });
  return {
    content: { kind: 'auto_reply', template: { templateId, version: text.version, language: text.language }, subject: render(text.subject, values), text: render(text.body, values) },
    version: text.version, language: text.language,
  };
}
