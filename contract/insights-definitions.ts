// One sentence per insights term, shown as tooltips next to the figures. The same words as
// docs/INSIGHTS.md, which gives the full definitions; keep the two in agreement.

export const INSIGHT_DEFINITIONS: Record<string, string> = {
  opened: 'Cases created in the range, counted on the office-local day they were created.',
  resolved: 'Cases whose first resolution (resolving or closing) fell in the range, counted once even if reopened and resolved again.',
  firstResponse: 'Time from opening a case to the first reply staff sent to the resident, for cases first answered in the range.',
  resolution: 'Time from opening a case to its first resolution, for cases first resolved in the range.',
  calendarTime: 'Elapsed time on the clock, nights, weekends and holidays included.',
  businessTime: "Time counted only within the office's business hours, skipping its holidays.",
  median: 'The middle value: half of the cases took less time, half took more.',
  p90: 'The 90th percentile: nine cases in ten took this long or less.',
  slaCompliance: 'Of the cases first resolved in the range that had a resolution target, the share resolved by their due time.',
  firstResponseSla: 'Of the cases first answered in the range that had a first-response target, the share answered by their due time.',
  reopenRate: 'Of the cases first resolved in the range, the share that has been reopened at least once since.',
  satisfaction: 'Average of the 1 to 5 ratings residents gave in the range, with how many gave each score.',
  automation: 'Share of inbound items received in the range that triage handled without staff: category set by a rule or the model and never corrected, or an approved reply sent automatically.',
  backlog: 'Cases open now (neither resolved nor closed), by how many whole days ago they were opened.',
  overdue: 'Open cases whose resolution due time has passed.',
  open: 'Cases that are neither resolved nor closed right now.',
  itemsHandled: 'Inbound items a member of staff filed, to a new or an existing case, in the range; for a team, those filed by its members.',
  resolvedPerDay: "Cases first resolved in the range divided by the working days in the range (days with business hours that are not holidays).",
  itemsPerDay: 'Items handled in the range divided by the working days in the range.',
  newRequesters: 'Cases opened in the range whose requester had no earlier case with the office.',
  returningRequesters: 'Cases opened in the range whose requester already had an earlier case with the office.',
  items: 'Inbound items (emails, texts, web forms, Open311 reports, calls logged, …) received in the range, counted on the office-local day they arrived.',
  cases: 'Cases opened in the range, counted on the office-local day they were created.',
};
