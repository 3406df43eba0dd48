// What each insights figure means, in the words the staff UI shows beside it: the same words
// as docs/INSIGHTS.md, which gives the full definitions; keep the two in agreement.
export const INSIGHT_DEFINITION_KEYS = [
  'opened', 'resolved', 'firstResponse', 'resolution', 'calendarTime', 'businessTime', 'median', 'p90',
  'slaCompliance', 'firstResponseSla', 'reopenRate', 'satisfaction', 'automation', 'backlog', 'overdue', 'open',
  'itemsHandled', 'resolvedPerDay', 'itemsPerDay', 'newRequesters', 'returningRequesters', 'items', 'cases',
] as const;
export type InsightDefinitionKey = (typeof INSIGHT_DEFINITION_KEYS)[number];

export const INSIGHT_DEFINITIONS: Record<InsightDefinitionKey, { term: string; definition: string }> = {
  opened: { term: 'Opened', definition: 'Cases created in the range, counted on the office-local day they were created.' },
  resolved: { term: 'Resolved', definition: 'Cases whose first resolution (resolving or closing) fell in the range, counted once even if reopened and resolved again.' },
  firstResponse: { term: 'Time to first response', definition: 'Time from opening a case to the first reply staff sent to the resident, for cases first answered in the range.' },
  resolution: { term: 'Time to resolution', definition: 'Time from opening a case to its first resolution, for cases first resolved in the range.' },
  calendarTime: { term: 'Calendar time', definition: 'Elapsed time on the clock, nights, weekends and holidays included.' },
  businessTime: { term: 'Business time', definition: "Time counted only within the office's business hours, skipping its holidays." },
  median: { term: 'Median', definition: 'The middle value: half of the cases took less time, half took more.' },
  p90: { term: '90th percentile', definition: 'The 90th percentile: nine cases in ten took this long or less.' },
  slaCompliance: { term: 'SLA compliance', definition: 'Of the cases first resolved in the range that had a resolution target, the share resolved by their due time.' },
  firstResponseSla: { term: 'First response on time', definition: 'Of the cases first answered in the range that had a first-response target, the share answered by their due time.' },
  reopenRate: { term: 'Reopen rate', definition: 'Of the cases first resolved in the range, the share that has been reopened at least once since.' },
  satisfaction: { term: 'Satisfaction', definition: 'Average of the 1 to 5 ratings residents gave in the range, with how many gave each score.' },
  automation: { term: 'Handled automatically', definition: 'Share of inbound items received in the range that triage handled without staff: category set by a rule or the model and never corrected, or an approved reply sent automatically.' },
  backlog: { term: 'Backlog by age', definition: 'Cases open now (neither resolved nor closed), by how many whole days ago they were opened.' },
  overdue: { term: 'Overdue', definition: 'Open cases past a due time, as the case list counts them: no reply by the first-response due time, or not resolved by the resolution due time.' },
  open: { term: 'Open', definition: 'Cases that are neither resolved nor closed right now.' },
  itemsHandled: { term: 'Items handled', definition: 'Inbound items a member of staff filed, to a new or an existing case, in the range; for a team, those filed by its members.' },
  resolvedPerDay: { term: 'Resolved per day', definition: "Cases first resolved in the range divided by the working days in the range (days with business hours that are not holidays)." },
  itemsPerDay: { term: 'Items per day', definition: 'Items handled in the range divided by the working days in the range.' },
  newRequesters: { term: 'New requesters', definition: 'Cases opened in the range whose requester had no earlier case with the office.' },
  returningRequesters: { term: 'Returning requesters', definition: 'Cases opened in the range whose requester already had an earlier case with the office.' },
  items: { term: 'Items', definition: 'Inbound items (emails, texts, web forms, Open311 reports, calls logged, …) received in the range, counted on the office-local day they arrived.' },
  cases: { term: 'Cases', definition: 'Cases opened in the range, counted on the office-local day they were created.' },
};

/**
 * What the figures do not include yet (contract/insights.ts ZPending), in words for the staff
 * pages and the PDF; null when they are current.
 */
export function pendingNote(p: { cases: number; rebuilding: boolean }): string | null {
  if (p.rebuilding) return 'The figures are being recomputed from scratch and are incomplete until that finishes.';
  if (p.cases === 0) return null;
  const n = `${p.cases.toLocaleString('en-US')}${p.cases >= 1_000_000 ? ' or more' : ''}`;
  return `${n} recent case ${p.cases === 1 ? 'change is' : 'changes are'} not counted yet; the figures catch up within a few minutes.`;
}
