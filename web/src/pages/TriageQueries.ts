// Query keys, fetchers and words of the triage pages (settings and figures, rules) and of the
// reasons triage gives on a case and an inbox item.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { TriageActionNames, TriageConditions, TriageDecision, TriageOverview, TriageRule } from '../../../contract/triage.js';
import { api } from '../api/client.js';
import { useAllUsers } from '../api/queries.js';
import { caseKeys, categoryLabel, CHANNEL_LABELS, useCategories, useTeams } from './CaseQueries.js';
import { useWards } from './ConstituentQueries.js';
import { inboxKeys, INBOUND_CHANNEL_LABELS } from './InboxQueries.js';
import { useReplyTemplates } from './ReplyQueries.js';

export const triageKeys = {
  all: ['triage'] as const,
  overview: (days: number) => ['triage', 'overview', days] as const,
  rules: ['triage', 'rules'] as const,
  // Under the case's and the item's keys, so refreshing those refreshes the reasons too.
  ofCase: (id: string) => [...caseKeys.one(id), 'triage'] as const,
  ofItem: (id: string) => [...inboxKeys.one(id), 'triage'] as const,
};

export type CurvePoint = TriageOverview['curve']['points'][number];

/**
 * The triage page's figures (the last ones stay shown while another period loads); while
 * `pollUntil` is ahead, looked at again every 5 s (a model is training).
 */
export function useTriageOverview(days: number, pollUntil: number) {
  return useQuery({
    queryKey: triageKeys.overview(days),
    queryFn: () => api.get<TriageOverview>('/api/v1/triage', { days }),
    placeholderData: keepPreviousData,
    refetchInterval: () => (Date.now() < pollUntil ? 5000 : false),
  });
}

export function useTriageRules() {
  return useQuery({ queryKey: triageKeys.rules, queryFn: async () => (await api.get<{ items: TriageRule[] }>('/api/v1/triage/rules')).items });
}

export function useCaseTriage(caseId: string) {
  return useQuery({ queryKey: triageKeys.ofCase(caseId), queryFn: async () => (await api.get<{ items: TriageDecision[] }>(`/api/v1/cases/${caseId}/triage`)).items });
}

export function useItemTriage(itemId: string) {
  return useQuery({ queryKey: triageKeys.ofItem(itemId), queryFn: async () => (await api.get<{ decision: TriageDecision | null }>(`/api/v1/inbox/${itemId}/triage`)).decision });
}

/** 0.873 as "87%". */
export const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * The trade-off at a threshold: of the points (highest threshold first, so coverage grows),
 * the last whose threshold is still at or above it; null when none is (nothing would be automatic).
 */
export function pointAt(points: CurvePoint[], threshold: number): CurvePoint | null {
  let found: CurvePoint | null = null;
  for (const p of points) if (p.threshold >= threshold - 1e-9) found = p;
  return found;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish (es)"; the code alone when the browser does not know it. */
export function languageName(code: string | null): string {
  if (!code) return 'Not detected';
  try {
    const name = LANGUAGE_NAMES.of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/** "Gas (87% sure, model v3)". */
export function suggestionText(model: NonNullable<TriageDecision['model']>): string {
  return `${model.suggested?.name ?? 'no category'} (${percent(model.confidence)} sure, model v${model.version})`;
}

/** The kinds of urgent content found, in words ("danger to life, safeguarding"). */
export const urgencyKinds = (d: Pick<TriageDecision, 'urgency'>) => [...new Set(d.urgency.map((u) => u.kind.replace(/_/g, ' ')))].join(', ');

/** The channels a rule can name: the inbox's, plus letters and "other" of cases opened by staff. */
export const RULE_CHANNELS: { value: NonNullable<TriageConditions['channels']>[number]; label: string }[] = [
  ...Object.entries(INBOUND_CHANNEL_LABELS).map(([value, label]) => ({ value: value as keyof typeof INBOUND_CHANNEL_LABELS, label })),
  { value: 'letter', label: CHANNEL_LABELS.letter },
  { value: 'other', label: CHANNEL_LABELS.other },
];

export type RuleNames = TriageActionNames & { ward: (id: string) => string };

/**
 * What a rule can name (categories, wards, teams, staff, approved replies) for its form's
 * pickers, and the names of ids for describing rules in words.
 */
export function useRuleChoices() {
  const categories = useCategories();
  const wards = useWards();
  const teams = useTeams();
  const users = useAllUsers();
  const templates = useReplyTemplates();
  const map = new Map<string, string>();
  for (const c of categories.data ?? []) map.set(c.id, categoryLabel(c));
  for (const w of wards.data ?? []) map.set(w.id, w.name);
  for (const t of teams.data?.items ?? []) map.set(t.id, t.name);
  for (const u of users.data ?? []) map.set(u.id, u.displayName);
  for (const t of templates.data ?? []) map.set(t.id, t.name);
  const name = (id: string) => map.get(id) ?? 'a removed record';
  const names: RuleNames = { category: name, ward: name, team: name, user: name, template: name };
  return {
    names,
    categories: (categories.data ?? []).filter((c) => !c.retired).map((c) => ({ value: c.id, label: categoryLabel(c) })),
    wards: (wards.data ?? []).map((w) => ({ value: w.id, label: w.name })),
    teams: (teams.data?.items ?? []).map((t) => ({ value: t.id, label: t.name })),
    users: (users.data ?? []).filter((u) => u.status === 'active').map((u) => ({ value: u.id, label: u.displayName })),
    templates: (templates.data ?? []).map((t) => ({ value: t.id, label: t.name })),
  };
}

const either = (items: string[]) => (items.length > 1 ? `${items.slice(0, -1).join(', ')} or ${items.at(-1)}` : (items[0] ?? ''));
const quoted = (items: string[]) => either(items.map((w) => `“${w}”`));
const channelLabel = (c: string) => RULE_CHANNELS.find((x) => x.value === c)?.label ?? c;

/** What a rule's conditions ask, in words; "Every message" when they ask nothing. */
export function describeConditions(c: TriageConditions, names: RuleNames): string[] {
  const out: string[] = [];
  if (c.channels) out.push(`Came by ${either(c.channels.map(channelLabel))}`);
  if (c.senders) out.push(`Sent by ${either(c.senders)}`);
  if (c.senderDomains) out.push(`Sent from ${either(c.senderDomains)}`);
  if (c.knownSender !== undefined) out.push(c.knownSender ? 'The sender is already on file' : 'The sender is new or not identified');
  if (c.constituentTags) out.push(`The sender is tagged ${either(c.constituentTags)}`);
  if (c.words) out.push(`Mentions ${quoted(c.words)}`);
  if (c.pattern) out.push(`Matches the pattern ${c.pattern}`);
  if (c.languages) out.push(`Written in ${either(c.languages.map(languageName))}`);
  if (c.wardIds) out.push(`In ward ${either(c.wardIds.map(names.ward))}`);
  if (c.categoryIds) out.push(`Category ${either(c.categoryIds.map(names.category))} (or one below)`);
  if (c.hours) out.push(`Arrives from ${c.hours.from} to ${c.hours.to} office time`);
  if (c.hasAttachment !== undefined) out.push(c.hasAttachment ? 'Has an attachment' : 'Has no attachment');
  if (c.urgent !== undefined) out.push(c.urgent ? 'Urgent content was found' : 'No urgent content was found');
  return out.length ? out : ['Every message'];
}
