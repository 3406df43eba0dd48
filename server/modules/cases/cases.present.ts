// Rows to API shapes for cases (list rows and the case page).
import type { Case, CasePriority, CaseRole, CaseSummary, CaseChannel, StatusCategory } from '../../../contract/cases.js';
import { caseSla } from '../sla/sla.cases.js';
import type { PageRow, SummaryRow } from './cases.repo.js';
import { needsResolution } from './cases.workflow.js';

const ref = (id: string | null, name: string | null) => (id ? { id, name: name ?? '' } : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Open, and a pending target (the first response until given, the resolution) is past due. */
export function isOverdue(r: Pick<SummaryRow, 'resolved_at' | 'closed_at' | 'first_responded_at' | 'first_response_due_at' | 'resolution_due_at'>, now = Date.now()): boolean {
  if (r.resolved_at || r.closed_at) return false;
  const isFirstResponseLate = r.first_responded_at === null && r.first_response_due_at !== null && r.first_response_due_at.getTime() < now;
  return isFirstResponseLate || (r.resolution_due_at !== null && r.resolution_due_at.getTime() < now);
}

export function presentSummary(r: SummaryRow): CaseSummary {
  return {
    id: r.id, reference: r.reference, subject: r.subject,
    status: { key: r.status, label: r.status_label, category: r.status_category as StatusCategory },
    priority: r.priority as CasePriority, channel: r.channel as CaseChannel,
    category: r.category_id ? { id: r.category_id, name: r.category_name ?? '', path: r.category_path ?? [r.category_name ?? ''] } : null,
    assignee: ref(r.assignee_id, r.assignee_name), team: ref(r.team_id, r.team_name), ward: ref(r.ward_id, r.ward_name),
    requester: ref(r.requester_id, r.requester_name),
    tags: r.tags, isSensitive: r.is_sensitive,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(), resolvedAt: iso(r.resolved_at), closedAt: iso(r.closed_at),
    firstResponseDueAt: iso(r.first_response_due_at), resolutionDueAt: iso(r.resolution_due_at), isOverdue: isOverdue(r),
  };
}

export function presentCase(r: PageRow): Case {
  return {
    ...presentSummary(r),
    description: r.description,
    location: { address: r.address, lat: r.lat, lng: r.lng },
    resolution: r.resolution_code ? { code: r.resolution_code, label: r.resolution_label ?? r.resolution_code, summary: r.resolution_summary ?? '' } : null,
    constituents: r.constituents.map((c) => ({ id: c.id, displayName: c.displayName, role: c.role as CaseRole })),
    watchers: r.watchers.map((w) => ({ id: w.id, name: w.name })),
    nextStatuses: r.next_statuses.map((s) => ({
      key: s.key, label: s.label, category: s.category as StatusCategory,
      needsResolution: needsResolution(s.category as StatusCategory) && !(r.resolution_code && needsResolution(r.status_category as StatusCategory)),
    })),
    sla: caseSla(r),
  };
}
