// Triage: the office's ordered rules (conditions on what arrived, actions on what it becomes),
// a dry run of a rule over recent items, the office's triage settings, and the decision kept
// for every item and case (what was detected, which rules matched, what the model suggested).
import { z } from 'zod';
import { CASE_PRIORITIES, ZCasePriority } from './cases.js';
import { ZTimestamp, ZUuid } from './common.js';
import { ZTag } from './constituents.js';
import { INBOUND_CHANNELS } from './intake.js';

/** Longest pattern a rule may hold; patterns are also checked for catastrophic backtracking. */
export const MAX_RULE_PATTERN = 200;
const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 08:30');
const ZLanguage = z.string().trim().toLowerCase().regex(/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/, 'must be a language tag such as en or es');

/** Every condition given must hold; an empty object matches everything. */
export const ZTriageConditions = z.strictObject({
  /** The channel it came on (email, sms, web …); a case opened by staff has its case channel. */
  channels: z.array(z.enum([...INBOUND_CHANNELS, 'letter', 'other'])).min(1).max(20).optional(),
  /** Exact sender addresses or phone numbers (E.164). */
  senders: z.array(z.string().trim().toLowerCase().min(3).max(320)).min(1).max(200).optional(),
  /** Sender email domains (example.org matches a@example.org and a@mail.example.org). */
  senderDomains: z.array(z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain such as example.org')).min(1).max(200).optional(),
  /** true: the sender was already on file; false: a new or unidentified sender. */
  knownSender: z.boolean().optional(),
  /** The sender's record has any of these tags. */
  constituentTags: z.array(ZTag).min(1).max(50).optional(),
  /** Any of these words or phrases, in the subject or body (whole words; case and accents ignored). */
  words: z.array(z.string().trim().min(1).max(100)).min(1).max(200).optional(),
  /** A regular expression tried on the subject and body (case-insensitive). */
  pattern: z.string().min(1).max(MAX_RULE_PATTERN).optional(),
  languages: z.array(ZLanguage).min(1).max(20).optional(),
  /** The ward of the report's location or of the sender's address. */
  wardIds: z.array(ZUuid).min(1).max(200).optional(),
  /** The category at this point (set by an earlier rule or the classifier), or one below it. */
  categoryIds: z.array(ZUuid).min(1).max(200).optional(),
  /** Office local time, from inclusive to exclusive; from > to spans midnight. */
  hours: z.strictObject({ from: ZClock, to: ZClock }).refine((h) => h.from !== h.to, { message: 'from and to must differ', path: ['to'] }).optional(),
  hasAttachment: z.boolean().optional(),
  /** Urgent or safeguarding content was detected. */
  urgent: z.boolean().optional(),
});
export type TriageConditions = z.infer<typeof ZTriageConditions>;

export const ZTriageActions = z.strictObject({
  categoryId: ZUuid.optional(),
  tags: z.array(ZTag).min(1).max(20).optional(),
  priority: ZCasePriority.optional(),
  /** The team takes it and shares it out by its strategy (round robin or least loaded). */
  teamId: ZUuid.optional(),
  /** A person takes it (wins over teamId's strategy). */
  assigneeId: ZUuid.optional(),
  /** An approved reply template sent at once on the resident's channel. */
  replyTemplateId: ZUuid.optional(),
  /** The item is marked spam: no case, no reply. */
  spam: z.literal(true).optional(),
  /** Priority urgent and the on-duty person (else every manager and admin) alerted at once. */
  escalate: z.literal(true).optional(),
  /** No later rule is tried. */
  stop: z.literal(true).optional(),
}).refine((a) => Object.keys(a).length > 0, { message: 'a rule needs at least one action' });
export type TriageActions = z.infer<typeof ZTriageActions>;

/** Names of what actions refer to, for sentences ("Category set to Potholes"). */
export type TriageActionNames = { category: (id: string) => string; team: (id: string) => string; user: (id: string) => string; template: (id: string) => string };

/** What actions do, in words, in the order the engine applies them. */
export function describeActions(a: TriageActions, names: TriageActionNames): string[] {
  const out: string[] = [];
  if (a.spam) out.push('Marked spam');
  if (a.categoryId) out.push(`Category set to ${names.category(a.categoryId)}`);
  if (a.tags) out.push(`Tagged ${a.tags.join(', ')}`);
  if (a.escalate) out.push('Escalated: priority urgent, on-duty person alerted');
  else if (a.priority) out.push(`Priority set to ${a.priority}`);
  if (a.assigneeId) out.push(`Assigned to ${names.user(a.assigneeId)}`);
  else if (a.teamId) out.push(`Sent to team ${names.team(a.teamId)}`);
  if (a.replyTemplateId) out.push(`Approved reply “${names.template(a.replyTemplateId)}” chosen (sent unless the message is urgent or the resident may not be contacted)`);
  if (a.stop) out.push('No later rule tried');
  return out;
}

export const ZTriageRule = z.object({
  id: ZUuid,
  name: z.string(),
  position: z.number().int(),
  enabled: z.boolean(),
  conditions: ZTriageConditions,
  actions: ZTriageActions,
  updatedAt: ZTimestamp,
});
export type TriageRule = z.infer<typeof ZTriageRule>;

const ZRef = z.object({ id: ZUuid, name: z.string() });
const ZRuleName = z.string().trim().min(1).max(120);
export const ZCreateTriageRule = z.strictObject({
  name: ZRuleName,
  /** New rules start disabled: dry-run them first. */
  enabled: z.boolean().default(false),
  conditions: ZTriageConditions.default({}),
  actions: ZTriageActions,
});
export type CreateTriageRule = z.input<typeof ZCreateTriageRule>;
export const ZUpdateTriageRule = z.strictObject({
  name: ZRuleName.optional(),
  enabled: z.boolean().optional(),
  conditions: ZTriageConditions.optional(),
  actions: ZTriageActions.optional(),
});
export type UpdateTriageRule = z.input<typeof ZUpdateTriageRule>;
export const ZReorderTriageRules = z.strictObject({ ids: z.array(ZUuid).min(1).max(500) });

/** A dry run: a rule (saved or not yet) tried on the office's last N items. */
export const ZTriageDryRun = z.strictObject({
  conditions: ZTriageConditions.default({}),
  actions: ZTriageActions,
  last: z.coerce.number().int().min(1).max(1000).default(100),
});
export const ZTriageDryRunResult = z.object({
  tried: z.number().int(),
  matched: z.number().int(),
  items: z.array(z.object({
    itemId: ZUuid, receivedAt: ZTimestamp, channel: z.string(), sender: z.string().nullable(), subject: z.string().nullable(),
    caseReference: z.string().nullable(),
    /** What the rule would have done, in words. */
    would: z.array(z.string()),
  })),
});
export type TriageDryRunResult = z.infer<typeof ZTriageDryRunResult>;

export const ZTriageSettings = z.object({
  autoApplyThreshold: z.number().gt(0).max(1).nullable(),
  autoReply: z.boolean(),
  onDutyUserId: ZUuid.nullable(),
});
export type TriageSettings = z.infer<typeof ZTriageSettings>;
export const ZUpdateTriageSettings = z.strictObject({
  autoApplyThreshold: z.number().gt(0).max(1).nullable().optional(),
  autoReply: z.boolean().optional(),
  onDutyUserId: ZUuid.nullable().optional(),
});

/** Why an item or case was categorised, assigned or answered. */
export const ZTriageDecision = z.object({
  id: ZUuid,
  createdAt: ZTimestamp,
  language: z.string().nullable(),
  urgent: z.boolean(),
  urgency: z.array(z.object({ kind: z.string(), severity: z.string(), term: z.string(), language: z.string() })),
  model: z.object({ version: z.number().int(), suggested: ZRef.nullable(), confidence: z.number() }).nullable(),
  category: z.object({ applied: ZRef, source: z.enum(['rule', 'model']), threshold: z.number().nullable() }).nullable(),
  rules: z.array(z.object({ id: ZUuid, name: z.string(), did: z.array(z.string()) })),
  spam: z.boolean(),
  autoReply: z.object({ sent: z.boolean(), templateId: ZUuid.nullable(), version: z.number().int().nullable(), language: z.string().nullable(), reason: z.string() }).nullable(),
});
export type TriageDecision = z.infer<typeof ZTriageDecision>;

export { CASE_PRIORITIES };

const ZCurvePoint = z.object({ threshold: z.number(), coverage: z.number(), precision: z.number() });
export const ZTriageModel = z.object({
  version: z.number().int(),
  createdAt: ZTimestamp,
  trigger: z.enum(['manual', 'nightly']),
  trainedOn: z.number().int(),
  classes: z.number().int(),
  /** Measured on the newest fifth of the cases, held out from a model trained on the rest. */
  metrics: z.object({
    accuracy: z.number(), coverageAt90: z.number(), coverageAt95: z.number(), thresholdAt90: z.number().nullable(), thresholdAt95: z.number().nullable(),
    heldOut: z.number().int(), trainMs: z.number(),
  }),
});
export type TriageModel = z.infer<typeof ZTriageModel>;

export const ZTriageOverviewQuery = z.object({ days: z.coerce.number().int().min(1).max(366).default(90) });
/** The triage page: settings, models, and how suggestions fared per category over the period. */
export const ZTriageOverview = z.object({
  settings: ZTriageSettings,
  models: z.array(ZTriageModel),
  /** The trade-off a threshold makes: staff-checked history when there is enough, else the newest model's held-out test. */
  curve: z.object({ source: z.enum(['history', 'model', 'none']), points: z.array(ZCurvePoint), n: z.number().int() }),
  categories: z.array(z.object({
    category: ZRef,
    /** Items and cases triage looked at whose final category is this one. */
    volume: z.number().int(),
    /** Of those, how many the model categorised alone. */
    autoApplied: z.number().int(),
    /** Suggestions of this category checked by staff (the case's final category is known), and how many were right. */
    suggested: z.number().int(),
    correct: z.number().int(),
  })),
  totals: z.object({ decisions: z.number().int(), urgent: z.number().int(), spam: z.number().int(), autoApplied: z.number().int(), autoReplied: z.number().int() }),
});
export type TriageOverview = z.infer<typeof ZTriageOverview>;
