// Query keys and fetchers for the work on a case: attachments, tasks, notes, the staff who
// may be mentioned or given a task, and "my tasks". Attachments and notes come a page at a
// time ("Load more"); a case's tasks come in one answer.
import { useQuery } from '@tanstack/react-query';
import type { Attachment, AttachmentLimits, CaseStaff, CaseNote, Task } from '../../../contract/case-work.js';
import type { Page } from '../../../contract/common.js';
import { api } from '../api/client.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { caseKeys } from './CaseQueries.js';

/** Under the case's key, so a change to the whole case refreshes them too. */
export const workKeys = {
  attachments: (caseId: string) => [...caseKeys.one(caseId), 'attachments'] as const,
  tasks: (caseId: string) => [...caseKeys.one(caseId), 'tasks'] as const,
  notes: (caseId: string) => [...caseKeys.one(caseId), 'notes'] as const,
  staff: (caseId: string) => [...caseKeys.one(caseId), 'staff'] as const,
  allMyTasks: ['my-tasks'] as const,
  myTasks: (status: string) => ['my-tasks', status] as const,
  limits: ['attachments', 'limits'] as const,
};

/** Attachments and notes per page of the case page's lists. */
const WORK_PAGE_SIZE = 200;

export const useAttachments = (caseId: string) =>
  useCursorList<Attachment>(workKeys.attachments(caseId), `/api/v1/cases/${caseId}/attachments`, { limit: WORK_PAGE_SIZE });

export const useAttachmentLimits = () =>
  useQuery({ queryKey: workKeys.limits, queryFn: () => api.get<AttachmentLimits>('/api/v1/attachments/limits'), staleTime: 10 * 60_000 });

export const useCaseTasks = (caseId: string) =>
  useQuery({ queryKey: workKeys.tasks(caseId), queryFn: async () => (await api.get<Page<Task>>(`/api/v1/cases/${caseId}/tasks`)).items });

export const useCaseNotes = (caseId: string) =>
  useCursorList<CaseNote>(workKeys.notes(caseId), `/api/v1/cases/${caseId}/notes`, { limit: WORK_PAGE_SIZE });

export const useCaseStaff = (caseId: string) =>
  useQuery({ queryKey: workKeys.staff(caseId), queryFn: async () => (await api.get<{ items: CaseStaff[] }>(`/api/v1/cases/${caseId}/staff`)).items, staleTime: 60_000 });

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 ** 2).toFixed(1)} MB`;
}
