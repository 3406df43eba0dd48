// Query keys and fetchers for the work on a case: attachments, tasks, notes, the staff who
// may be mentioned or given a task, and "my tasks".
import { useQuery } from '@tanstack/react-query';
import type { Attachment, AttachmentLimits, CaseStaff, CaseNote, Task } from '../../../contract/case-work.js';
import type { Page } from '../../../contract/common.js';
import { api } from '../api/client.js';

export const workKeys = {
  attachments: (caseId: string) => ['cases', caseId, 'attachments'] as const,
  tasks: (caseId: string) => ['cases', caseId, 'tasks'] as const,
  notes: (caseId: string) => ['cases', caseId, 'notes'] as const,
  staff: (caseId: string) => ['cases', caseId, 'staff'] as const,
  myTasks: (status: string) => ['my-tasks', status] as const,
  limits: ['attachments', 'limits'] as const,
};

export const useAttachments = (caseId: string) =>
  useQuery({ queryKey: workKeys.attachments(caseId), queryFn: async () => (await api.get<Page<Attachment>>(`/api/v1/cases/${caseId}/attachments`, { limit: 200 })).items });

export const useAttachmentLimits = () =>
  useQuery({ queryKey: workKeys.limits, queryFn: () => api.get<AttachmentLimits>('/api/v1/attachments/limits'), staleTime: 10 * 60_000 });

export const useCaseTasks = (caseId: string) =>
  useQuery({ queryKey: workKeys.tasks(caseId), queryFn: async () => (await api.get<Page<Task>>(`/api/v1/cases/${caseId}/tasks`)).items });

export const useCaseNotes = (caseId: string) =>
  useQuery({ queryKey: workKeys.notes(caseId), queryFn: async () => (await api.get<Page<CaseNote>>(`/api/v1/cases/${caseId}/notes`, { limit: 200 })).items });

export const useCaseStaff = (caseId: string) =>
  useQuery({ queryKey: workKeys.staff(caseId), queryFn: async () => (await api.get<{ items: CaseStaff[] }>(`/api/v1/cases/${caseId}/staff`)).items, staleTime: 60_000 });

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}
