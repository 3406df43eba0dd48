// Query keys, fetchers and display labels of the casework pages (list, case page, create
// form and the casework settings).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CaseCategory, CaseChannel, CasePriority, CaseRole, Workflow } from '../../../contract/cases.js';
import type { Team } from '../../../contract/teams.js';
import { api } from '../api/client.js';
import { keys } from '../api/queries.js';

export const caseKeys = {
  all: ['cases'] as const,
  list: (filters: Record<string, string>) => ['cases', 'list', filters] as const,
  one: (id: string) => ['cases', id] as const,
  timeline: (id: string, kind: string) => ['cases', id, 'timeline', kind] as const,
  /** The case's timeline whatever its filter: for invalidating after a change on the case. */
  timelines: (id: string) => ['cases', id, 'timeline'] as const,
  categories: (includeRetired: boolean) => ['case-categories', includeRetired] as const,
  workflow: ['case-workflow'] as const,
  views: ['case-views'] as const,
  slaPolicies: ['sla', 'policies'] as const,
  holidays: ['sla', 'holidays'] as const,
};

export const PRIORITY_LABELS: Record<CasePriority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export const CHANNEL_LABELS: Record<CaseChannel, string> = {
  email: 'Email', sms: 'SMS', phone: 'Phone', voicemail: 'Voicemail', walk_in: 'Walk-in', web: 'Web form', open311: 'Open311',
  social: 'Social media', letter: 'Letter', event: 'Event', doorstep: 'Doorstep', other: 'Other',
};

export const ROLE_LABELS: Record<CaseRole, string> = { requester: 'Requester', affected: 'Affected person', representative: 'Representative' };

export function useCategories(includeRetired = false) {
  return useQuery({
    queryKey: caseKeys.categories(includeRetired),
    queryFn: async () => (await api.get<{ items: CaseCategory[] }>('/api/v1/case-categories', { includeRetired: includeRetired ? 'true' : undefined })).items,
    staleTime: 60_000,
  });
}

export function useWorkflow() {
  return useQuery({ queryKey: caseKeys.workflow, queryFn: () => api.get<Workflow>('/api/v1/case-workflow'), staleTime: 60_000 });
}

export function useTeams(enabled = true) {
  return useQuery({ queryKey: keys.teams, enabled, queryFn: () => api.get<{ items: Team[] }>('/api/v1/teams'), staleTime: 60_000 });
}

/** "Streets › Potholes", for pickers and tables. */
export const categoryLabel = (c: { path: string[]; name: string }) => (c.path.length ? c.path.join(' › ') : c.name);

/** A change to the workflow; the server answers with the whole workflow, which replaces the cached one. */
export function useSaveWorkflow<T>(fn: (body: T) => Promise<Workflow>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: (w) => queryClient.setQueryData(caseKeys.workflow, w) });
}
