// Triage of what arrives: for each new message intake calls assess() once it knows the sender,
// which detects the language and urgent content, asks the office's classifier for a category,
// and tries the office's enabled rules in order. The result is a plan intake follows (spam, or
// the fields of the case it opens) and a decision row that keeps the reasons. Once the item is
// on a case, settle() writes an audit event per rule that acted and for a category the model
// applied alone, alerts the on-duty person about urgent content, and sends an approved reply
// when a rule or the office's auto-reply asks for one. Urgent or safeguarding content never
// gets a routine automatic answer, and only approved text is ever sent.
import type { CasePriority } from '../../../contract/cases.js';
import type { TriageActions, TriageConditions } from '../../../contract/triage.js';
import * as audit from '../../platform/audit/audit.js';
import type { Executor, Trx } from '../../platform/db/database.js';
import { DomainError } from '../../platform/errors.js';
import { permissionsOf, type Role } from '../../platform/rbac.js';
import type { Scope } from '../../platform/scope.js';
import * as categoriesRepo from '../cases/cases.categories-repo.js';
import { assignCase } from '../assignment/assignment.engine.js';
import type { CaseChange } from '../cases/cases.hooks.js';
import * as caseLookup from '../cases/cases.intake.js';
import * as cases from '../cases/cases.service.js';
import { locate } from '../cases/cases.location.js';
import { acknowledge } from '../intake/intake.acknowledge.js';
import type { Reading } from '../intake/intake.readers.js';
import type { ItemRow } from '../intake/intake.repo.js';
import * as offices from '../offices/offices.service.js';
import { notify } from '../notifications/notifications.service.js';
import { classify } from './triage.models.js';
import { compile, type Matcher, type Subject } from './triage.match.js';
import { detectLanguage } from './triage.language.js';
import * as repo from './triage.repo.js';
import { approvedReply } from './triage.reply.js';
import { describeActions, namesFor } from './triage.rules.js';
import { detectUrgency, URGENCY_TERMS_VERSION } from './triage.urgency.js';

/** What intake tells triage about a message. */
export type Arrival = {
  /** The inbound item; null for a case opened by staff (caseId). */
  itemId: string | null;
  caseId?: string;
  channel: string;
  receivedAt: Date;
  senderAddress: string | null;
  subject: string | null;
  text: string | null;
  constituentId: string | null;
  /** The sender was on file before this message (not a provisional record made for it). */
  knownSender: boolean;
  hasAttachment: boolean;
  location: { address?: string | null; lat?: number | null; lng?: number | null } | null;
  /** A category already chosen (an Open311 service code, a form's category, staff): neither rules nor the model replace it. */
  categoryId: string | null;
};

/** What intake does with the message. */
export type Plan = {
  decisionId: string | null;
  spam: boolean;
  urgent: boolean;
  language: string | null;
  /** Fields of a case opened for it; absent: what the channel proposed. */
  fields: { categoryId?: string; priority?: CasePriority; tags?: string[]; teamId?: string; assigneeId?: string };
  /** An approved reply to send once the case exists (a rule's, else the category's under auto-reply). */
  replyTemplateId: string | null;
  /** Audit lines for the case, written by settle(). */
  reasons: { rule: { id: string; name: string } | null; did: string[] }[];
  /** Read once by assess(): who is on duty, and the sender's preferred language (for the reply). */
  onDutyUserId: string | null;
  preferredLanguage: string | null;
};

/** A case holds at most this many tags (contract/cases.ts). */
const MAX_CASE_TAGS = 30;

type CompiledRule = { id: string; name: string; matches: Matcher; actions: TriageActions; onCategory: boolean };

// Rules are compiled once per office and list version (updated_at of the newest change).
const compiled = new Map<string, { key: string; rules: CompiledRule[] }>();

async function enabledRules(db: Executor, officeId: string): Promise<CompiledRule[]> {
  const rows = await repo.rules(db, officeId, true);
  const key = rows.map((r) => `${r.id}@${r.updated_at.getTime()}`).join(',');
  const hit = compiled.get(officeId);
  if (hit?.key === key) return hit.rules;
  const rules = rows.map((r) => {
    const conditions = r.conditions as TriageConditions;
    return { id: r.id, name: r.name, matches: compile(conditions), actions: r.actions as TriageActions, onCategory: conditions.categoryIds !== undefined };
  });
  compiled.set(officeId, { key, rules });
  return rules;
}

/**
 * A rule may name what has gone since it was saved (a category retired, a team removed, a
 * person who left): that action is skipped, so the item is still filed.
 */
async function dropStale(db: Executor, officeId: string, plan: Plan): Promise<void> {
  const f = plan.fields;
  if (f.categoryId) {
    const c = await categoriesRepo.get(db, officeId, f.categoryId);
    if (!c || c.retired) delete f.categoryId;
  }
  if (f.teamId && !(await repo.team(db, officeId, f.teamId))) delete f.teamId;
  if (f.assigneeId) {
    const u = await repo.activeUser(db, officeId, f.assigneeId);
    if (!u || !permissionsOf(u.role as Role).includes('case.write')) delete f.assigneeId;
  }
  // A person outside the team a rule named: the person wins (the case goes to them, not the team).
  if (f.assigneeId && f.teamId && !(await repo.isTeamMember(db, officeId, f.teamId, f.assigneeId))) delete f.teamId;
  if (f.tags) f.tags = f.tags.slice(0, MAX_CASE_TAGS);
}

export async function assess(trx: Executor, scope: Scope, a: Arrival): Promise<Plan> {
  const text = `${a.subject ?? ''}\n${a.text ?? ''}`.trim();
  const lang = detectLanguage(text);
  const language = lang.reliable ? lang.language : null;
  const urgency = detectUrgency(text, language);
  const [office, settings, sender, place] = await Promise.all([
    offices.get(scope), repo.settings(trx, scope.officeId),
    a.constituentId ? repo.senderFacts(trx, scope.officeId, a.constituentId) : null,
    a.location ? locate(trx, scope.officeId, a.location) : null,
  ]);
  const wardIds = [...new Set([...(place?.ward_id ? [place.ward_id] : []), ...(sender?.wardIds ?? [])])];

  // The classifier's suggestion; applied alone only at or above the office's threshold.
  const suggestion = a.categoryId ? null : await classify(trx, scope.officeId, { text, lat: place?.lat ?? null, lng: place?.lng ?? null, wardId: wardIds[0] ?? null });
  const plan: Plan = {
    decisionId: null, spam: false, urgent: urgency.urgent, language, fields: {}, replyTemplateId: null, reasons: [],
    onDutyUserId: settings.on_duty_user_id, preferredLanguage: sender?.preferredLanguage ?? null,
  };
  let categoryId = a.categoryId;
  let categorySource: 'rule' | 'model' | null = null;
  const threshold = settings.auto_apply_threshold;
  if (suggestion?.categoryId && threshold !== null && suggestion.confidence >= threshold) {
    categoryId = suggestion.categoryId;
    categorySource = 'model';
    plan.fields.categoryId = categoryId;
  }

  // The rules, in order, each seeing what earlier ones set.
  const fired: { id: string; name: string; actions: TriageActions }[] = [];
  let lineage: { of: string | null | undefined; ids: string[] } = { of: undefined, ids: [] };
  const subject = (categoryLineage: string[]): Subject => ({
    channel: a.channel, senderAddress: a.senderAddress?.toLowerCase() ?? null, knownSender: a.knownSender, constituentTags: sender?.tags ?? [],
    text, language, wardIds, categoryLineage, at: a.receivedAt, timeZone: office.timeZone, hasAttachment: a.hasAttachment, urgent: urgency.urgent,
  });
  for (const rule of await enabledRules(trx, scope.officeId)) {
    // A category's lineage is read only for rules that test it, once per category.
    if (rule.onCategory && lineage.of !== categoryId) lineage = { of: categoryId, ids: await repo.lineage(trx, scope.officeId, categoryId) };
    if (!rule.matches(subject(rule.onCategory ? lineage.ids : []))) continue;
    const x: TriageActions = { ...rule.actions };
    if (a.categoryId) delete x.categoryId;
    fired.push({ ...rule, actions: x });
    if (x.spam) plan.spam = true;
    if (x.categoryId) {
      categoryId = x.categoryId;
      categorySource = 'rule';
      plan.fields.categoryId = x.categoryId;
    }
    if (x.tags) plan.fields.tags = [...new Set([...(plan.fields.tags ?? []), ...x.tags])];
    if (x.escalate) plan.urgent = true;
    if (x.priority) plan.fields.priority = x.priority;
    if (x.assigneeId) plan.fields.assigneeId = x.assigneeId;
    if (x.teamId) plan.fields.teamId = x.teamId;
    if (x.replyTemplateId) plan.replyTemplateId = x.replyTemplateId;
    if (x.stop || x.spam) break;
  }
  await dropStale(trx, scope.officeId, plan);
  // Urgent content is never less than urgent, whatever a rule set.
  if (plan.urgent) plan.fields.priority = 'urgent';

  const names = await namesFor(trx, scope.officeId, fired.map((r) => r.actions));
  plan.reasons = fired.map((r) => ({ rule: { id: r.id, name: r.name }, did: describeActions(r.actions, names) }));
  if (categorySource === 'model' && suggestion) {
    plan.reasons.unshift({ rule: null, did: [`Category set to ${suggestion.categoryName} by the classifier (model v${suggestion.modelVersion}, ${Math.round(suggestion.confidence * 100)}% sure; the office applies at ${Math.round(threshold! * 100)}% and above)`] });
  }
  if (urgency.urgent) plan.reasons.unshift({ rule: null, did: [`Urgent content detected (${[...new Set(urgency.matches.map((m) => m.kind.replace(/_/g, ' ')))].join(', ')}): priority urgent, on-duty person alerted`] });

  // The office's auto-reply: the applied category's approved reply, never for urgent content.
  if (!plan.replyTemplateId && settings.auto_reply && categoryId && categorySource) plan.replyTemplateId = await repo.categoryTemplate(trx, scope.officeId, categoryId);
  if (plan.urgent || plan.spam) plan.replyTemplateId = null;

  if (a.itemId) await repo.setItemLanguage(trx, scope.officeId, a.itemId, language);
  // What a resident wrote says which language they use (what staff typed does not).
  if (a.itemId && language && a.constituentId && !sender?.preferredLanguage && (await repo.setLanguageIfUnset(trx, scope.officeId, a.constituentId, language)).numUpdatedRows > 0n) {
    await audit.record(trx, scope, {
      entity: 'constituent', id: a.constituentId, action: 'updated', constituentId: a.constituentId,
      before: { preferredLanguage: null }, after: { preferredLanguage: language, summary: `Preferred language set to ${language}, detected in a message they sent` },
    });
  }
  const row = await repo.insertDecision(trx, scope.officeId, {
    inbound_item_id: a.itemId, case_id: a.caseId ?? null, language, urgent: plan.urgent, urgency: urgency.matches, urgency_version: URGENCY_TERMS_VERSION,
    model_version: suggestion?.modelVersion ?? null, suggested_category_id: suggestion?.categoryId ?? null, confidence: suggestion?.confidence ?? null,
    category_source: categorySource, applied_category_id: categorySource ? categoryId : null, threshold: categorySource === 'model' ? threshold : null,
    rules: plan.reasons.filter((r) => r.rule).map((r) => ({ id: r.rule!.id, name: r.rule!.name, did: r.did })), spam: plan.spam, auto_reply: null,
  });
  plan.decisionId = row?.id ?? null;
  return plan;
}

/** An item triage marked spam: audited with the rule that did it. */
export async function recordSpam(trx: Executor, scope: Scope, itemId: string, plan: Plan): Promise<void> {
  const rule = plan.reasons.find((r) => r.did.includes('Marked spam'))?.rule;
  await audit.record(trx, scope, { entity: 'inbound_item', id: itemId, action: 'marked_spam', after: { summary: `Marked spam by triage rule “${rule?.name ?? ''}”`, rule } });
}

export type Reply = { templateId: string };

/**
 * Who hears about urgent content: the on-duty person while active and able to read the case;
 * otherwise (nobody on duty, or they cannot) every active manager and admin.
 */
async function onDuty(db: Executor, officeId: string, id: string | null, sensitive: boolean): Promise<string[]> {
  const u = id ? await repo.activeUser(db, officeId, id) : undefined;
  const may = u && permissionsOf(u.role as Role).includes(sensitive ? 'case.sensitive' : 'case.read');
  return may ? [u.id] : repo.managerIds(db, officeId);
}

/**
 * The item is on a case (opened for it, or an open case it threads into) or waits in the
 * inbox (caseId null): the reasons go on the case's timeline, urgent content alerts the
 * on-duty person (else the managers) at once, and the reply template to send, if any, is
 * handed back (only for a case opened for this item).
 */
export async function settle(trx: Executor, scope: Scope, plan: Plan, caseId: string | null, opened: boolean): Promise<Reply | null> {
  if (!plan.decisionId) return null;
  if (caseId) await repo.setDecisionCase(trx, scope.officeId, plan.decisionId, caseId);
  if (caseId && plan.reasons.length) {
    // On a case the message did not open, rules' actions are not applied: the timeline says so.
    const told = (r: Plan['reasons'][number]) => (opened || !r.rule ? r.did.join('; ') : `matched a new message on this case (actions apply only to cases it opens): ${r.did.join('; ')}`);
    await audit.recordMany(trx, scope, plan.reasons.filter((r) => opened || r.rule).map((r) => ({
      entity: 'case', id: caseId, action: 'triaged', caseId,
      after: { summary: r.rule ? `Triage rule “${r.rule.name}”: ${told(r)}` : `Triage: ${told(r)}`, rule: r.rule, did: r.did, applied: opened },
    })));
  }
  if (plan.urgent) {
    const c = caseId ? await caseLookup.caseById(trx, scope.officeId, caseId) : null;
    const people = await onDuty(trx, scope.officeId, plan.onDutyUserId, c?.is_sensitive ?? false);
    const where = c ? `case ${c.reference} (${opened ? 'a new message opened it' : 'a new message on it'})` : 'a new message waiting in the inbox';
    await notify(trx, scope.officeId, people.map((userId) => ({
      userId, kind: 'triage_urgent', caseId: c?.id ?? null, dedupeKey: `triage-urgent:${plan.decisionId}`,
      body: `Urgent: ${where} may need action now. Please look at it at once.`,
    })));
  }
  return opened && plan.replyTemplateId ? { templateId: plan.replyTemplateId } : null;
}

/**
 * Sends the approved reply on the resident's channel, in place of the standard acknowledgement
 * and under the same rules (consent, channel, hourly limit); without approved text, the
 * standard acknowledgement goes instead. The decision records what happened and why.
 */
export async function sendReply(trx: Executor, scope: Scope, plan: Plan, reply: Reply, item: ItemRow & { case_id: string }, reading: Reading, constituentId: string): Promise<void> {
  const approved = await approvedReply(trx, scope, reply.templateId, item.case_id, constituentId, [plan.language, plan.preferredLanguage]);
  const sent = await acknowledge(trx, scope, item, reading, item.case_id, approved ? async () => approved.content : undefined);
  const fallback = sent === 'standard' ? 'the standard acknowledgement was sent instead' : 'no acknowledgement was sent either (the resident may not be contacted on this channel, or the hourly limit was reached)';
  const reason = !approved ? `The template has no approved text; ${fallback}`
    : sent === 'content' ? 'Sent on the resident\'s channel'
      : sent === 'standard' ? 'The approved text is too long for a text message; the standard acknowledgement was sent instead'
        : 'Not sent: the resident may not be contacted on this channel, or the hourly limit was reached';
  if (plan.decisionId) {
    await repo.setDecisionReply(trx, scope.officeId, plan.decisionId, {
      sent: sent === 'content', templateId: reply.templateId, version: approved?.version ?? null, language: approved?.language ?? null, reason,
    });
  }
}

// ---------------------------------------------------------------- cases opened by staff

// Triage acts on the case as the system, so its changes are told apart from staff's.
const TRIAGE_VIEWER = { userId: '00000000-0000-0000-0000-000000000000', canSeeSensitive: true };

/**
 * A case opened by a member of staff or an API client (what intake opens, or staff open from
 * an inbox item, was triaged as the item): the same detection and rules, applied to the case
 * as it stands. A category, priority or assignment chosen by the person opening it is kept:
 * rules add tags, raise urgency, and assign only a case its creator left unassigned (a
 * category set by triage re-runs automatic assignment). An assignment the case cannot take
 * is skipped, never refused. No automatic reply is sent and nothing is marked spam: a person
 * is already handling it.
 */
export async function onCaseCreated(trx: Trx, scope: Scope, change: CaseChange): Promise<void> {
  if (change.kind !== 'created' || change.options?.triaged || scope.actor.type === 'system') return;
  const c = change.after;
  const sys: Scope = { ...scope, db: trx, actor: { type: 'system', id: null, label: 'triage' } };
  const plan = await assess(trx, sys, {
    itemId: null, caseId: c.id, channel: c.channel, receivedAt: c.created_at, senderAddress: null, subject: c.subject, text: c.description,
    constituentId: c.requester_id, knownSender: c.requester_id !== null, hasAttachment: false,
    location: c.lat !== null && c.lng !== null ? { lat: c.lat, lng: c.lng } : null, categoryId: c.category_id,
  });
  const f = plan.fields;
  const update = {
    ...(f.categoryId ? { categoryId: f.categoryId } : {}),
    ...(f.priority && (plan.urgent || c.priority === 'normal') && f.priority !== c.priority ? { priority: f.priority } : {}),
    ...(f.tags ? { tags: [...new Set([...c.tags, ...f.tags])].slice(0, MAX_CASE_TAGS) } : {}),
  };
  if (Object.keys(update).length) await cases.update(sys, TRIAGE_VIEWER, c.id, update);
  // Chosen by whoever opened it (the row as created, before the assignment hook ran).
  if (c.assignee_id === null && c.team_id === null) {
    if (f.assigneeId || f.teamId) {
      await cases.assign(sys, TRIAGE_VIEWER, c.id, { assigneeId: f.assigneeId ?? null, teamId: f.teamId ?? null }).catch((err: unknown) => {
        // The case cannot take it (a sensitive case, a person outside the team): keep what it has.
        if (!(err instanceof DomainError)) throw err;
      });
    } else if (update.categoryId) {
      await assignCase(trx, sys, (await cases.lockVisible(trx, sys, TRIAGE_VIEWER, c.id)), { keepTeam: false });
    }
  }
  await settle(trx, sys, plan, c.id, true);
}
