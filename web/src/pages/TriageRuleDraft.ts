// A triage rule as its form holds it (text for lists, "yes" / "no" / "" for the yes-no-any
// choices) and the conditions and actions the API takes, both ways. Empty fields are left
// out: a rule asks only what is filled in.
import type { CasePriority } from '../../../contract/cases.js';
import type { TriageActions, TriageConditions, TriageRule } from '../../../contract/triage.js';
import { fieldTargets } from '../components/FormFields.js';

export type YesNoAny = '' | 'yes' | 'no';

export type RuleDraft = {
  name: string;
  channels: string[];
  senders: string;
  senderDomains: string;
  knownSender: YesNoAny;
  constituentTags: string;
  words: string;
  pattern: string;
  languages: string;
  wardIds: string[];
  categoryIds: string[];
  hoursFrom: string;
  hoursTo: string;
  hasAttachment: YesNoAny;
  urgent: YesNoAny;
  categoryId: string;
  tags: string;
  priority: '' | CasePriority;
  teamId: string;
  assigneeId: string;
  replyTemplateId: string;
  spam: boolean;
  escalate: boolean;
  stop: boolean;
};

/** Where each field's errors go (problem+json `field`, such as conditions.pattern) and what the summary calls it. */
export const RULE_FIELDS = fieldTargets('triage-rule', {
  name: 'Name',
  'conditions.channels': 'Channels',
  'conditions.senders': 'Senders',
  'conditions.senderDomains': 'Sender domains',
  'conditions.knownSender': 'Sender on file',
  'conditions.constituentTags': 'Sender tagged',
  'conditions.words': 'Words or phrases',
  'conditions.pattern': 'Pattern',
  'conditions.languages': 'Languages',
  'conditions.wardIds': 'Wards',
  'conditions.categoryIds': 'Categories',
  'conditions.hours': 'Arrives from',
  'conditions.hours.to': 'Until',
  'conditions.hasAttachment': 'Attachment',
  'conditions.urgent': 'Urgent content',
  actions: 'Actions',
  'actions.categoryId': 'Set the category',
  'actions.tags': 'Add tags',
  'actions.priority': 'Set the priority',
  'actions.teamId': 'Send to team',
  'actions.assigneeId': 'Assign to',
  'actions.replyTemplateId': 'Send an approved reply',
  'actions.spam': 'Mark spam',
  'actions.escalate': 'Escalate',
  'actions.stop': 'Stop',
});
export type RuleField = keyof typeof RULE_FIELDS;

export const EMPTY_DRAFT: RuleDraft = {
  name: '', channels: [], senders: '', senderDomains: '', knownSender: '', constituentTags: '', words: '', pattern: '', languages: '', wardIds: [], categoryIds: [],
  hoursFrom: '', hoursTo: '', hasAttachment: '', urgent: '', categoryId: '', tags: '', priority: '', teamId: '', assigneeId: '', replyTemplateId: '', spam: false, escalate: false, stop: false,
};

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);
const commaList = (text: string) => [...new Set(text.split(',').map((t) => t.trim()).filter(Boolean))];
const list = <T>(items: T[]) => (items.length ? items : undefined);
const text = (value: string) => (value.trim() ? value : undefined);
const yesNo = (v: YesNoAny) => (v === '' ? undefined : v === 'yes');
const fromYesNo = (v: boolean | undefined): YesNoAny => (v === undefined ? '' : v ? 'yes' : 'no');
const orEmpty = (v: string | undefined) => v ?? '';

/** Leaves out what is undefined, so the body holds only what the rule asks and does. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function conditionsOf(d: RuleDraft): TriageConditions {
  return defined({
    channels: list(d.channels) as TriageConditions['channels'],
    senders: list(lines(d.senders)),
    senderDomains: list(lines(d.senderDomains)),
    knownSender: yesNo(d.knownSender),
    constituentTags: list(commaList(d.constituentTags)),
    words: list(lines(d.words)),
    pattern: text(d.pattern),
    languages: list(commaList(d.languages)),
    wardIds: list(d.wardIds),
    categoryIds: list(d.categoryIds),
    // One end given without the other is sent as is, so the contract names the missing one.
    hours: d.hoursFrom || d.hoursTo ? { from: d.hoursFrom, to: d.hoursTo } : undefined,
    hasAttachment: yesNo(d.hasAttachment),
    urgent: yesNo(d.urgent),
  });
}

export function actionsOf(d: RuleDraft): TriageActions {
  return defined({
    categoryId: text(d.categoryId),
    tags: list(commaList(d.tags)),
    priority: d.priority || undefined,
    teamId: text(d.teamId),
    assigneeId: text(d.assigneeId),
    replyTemplateId: text(d.replyTemplateId),
    spam: d.spam ? (true as const) : undefined,
    escalate: d.escalate ? (true as const) : undefined,
    stop: d.stop ? (true as const) : undefined,
  });
}

export function draftOf(r: TriageRule): RuleDraft {
  const c = r.conditions;
  const a = r.actions;
  return {
    name: r.name,
    channels: c.channels ?? [],
    senders: (c.senders ?? []).join('\n'),
    senderDomains: (c.senderDomains ?? []).join('\n'),
    knownSender: fromYesNo(c.knownSender),
    constituentTags: (c.constituentTags ?? []).join(', '),
    words: (c.words ?? []).join('\n'),
    pattern: orEmpty(c.pattern),
    languages: (c.languages ?? []).join(', '),
    wardIds: c.wardIds ?? [],
    categoryIds: c.categoryIds ?? [],
    hoursFrom: orEmpty(c.hours?.from),
    hoursTo: orEmpty(c.hours?.to),
    hasAttachment: fromYesNo(c.hasAttachment),
    urgent: fromYesNo(c.urgent),
    categoryId: orEmpty(a.categoryId),
    tags: (a.tags ?? []).join(', '),
    priority: a.priority ?? '',
    teamId: orEmpty(a.teamId),
    assigneeId: orEmpty(a.assigneeId),
    replyTemplateId: orEmpty(a.replyTemplateId),
    spam: !!a.spam,
    escalate: !!a.escalate,
    stop: !!a.stop,
  };
}
