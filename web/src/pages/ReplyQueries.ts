// Queries for reply templates (and their version history), a case's messages and its
// satisfaction rating.
import { useQuery } from '@tanstack/react-query';
import type { CaseRating, OutboundMessage } from '../../../contract/messages.js';
import type { ReplyTemplate, TemplateVersion } from '../../../contract/templates.js';
import { api } from '../api/client.js';
import { caseKeys } from './CaseQueries.js';

export const replyKeys = {
  templates: (includeRetired: boolean) => ['reply-templates', includeRetired] as const,
  allTemplates: ['reply-templates'] as const,
  mergeFields: ['reply-templates', 'merge-fields'] as const,
  history: (id: string, language: string) => ['reply-templates', 'history', id, language] as const,
  // Under the case's key so a change to the whole case refreshes them too.
  messages: (caseId: string) => [...caseKeys.one(caseId), 'messages'] as const,
  rating: (caseId: string) => [...caseKeys.one(caseId), 'rating'] as const,
};

const MESSAGE_STATUS_LABELS: Record<OutboundMessage['status'], string> = { queued: 'Queued', sent: 'Sent', failed: 'Failed' };
const LETTER_STATUS_LABELS: Record<OutboundMessage['status'], string> = { queued: 'To print', sent: 'Posted', failed: 'Failed' };
export const messageStatusLabel = (m: Pick<OutboundMessage, 'channel' | 'status'>) => (m.channel === 'letter' ? LETTER_STATUS_LABELS : MESSAGE_STATUS_LABELS)[m.status];

/** Who a message went to: the address or number, or a letter's addressee (the first line of its address block). */
export const recipientName = (m: Pick<OutboundMessage, 'channel' | 'to'>) => (m.channel === 'letter' ? m.to.split('\n')[0]! : m.to);

/** One PDF of the given letters (each on its own pages). */
export const letterPdfUrl = (ids: string[]) => `/api/v1/letters/print.pdf?${ids.map((id) => `id=${encodeURIComponent(id)}`).join('&')}`;

export function useReplyTemplates(includeRetired = false, enabled = true) {
  return useQuery({
    queryKey: replyKeys.templates(includeRetired),
    queryFn: async () => (await api.get<{ items: ReplyTemplate[] }>('/api/v1/reply-templates', { includeRetired: includeRetired ? 'true' : undefined })).items,
    staleTime: 30_000,
    enabled,
  });
}

/** Whether a template has approved text in some language: only approved text can be sent. */
export const isUsable = (t: ReplyTemplate) => t.translations.some((x) => x.approved);

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

/** "Spanish (es)"; the tag alone when the browser has no name for it. */
export function languageName(tag: string): string {
  let name: string | undefined;
  try {
    name = languageNames.of(tag);
  } catch {
    name = undefined;
  }
  return name && name !== tag ? `${name} (${tag})` : tag;
}

export function useTemplateHistory(id: string, language: string) {
  return useQuery({
    queryKey: replyKeys.history(id, language),
    queryFn: async () => (await api.get<{ items: TemplateVersion[] }>(`/api/v1/reply-templates/${id}/versions`, { language })).items,
  });
}

export function useMergeFields() {
  return useQuery({
    queryKey: replyKeys.mergeFields,
    queryFn: async () => (await api.get<{ items: { name: string; description: string }[] }>('/api/v1/reply-templates/merge-fields')).items,
    staleTime: Infinity,
  });
}

export function useCaseMessages(caseId: string) {
  return useQuery({
    queryKey: replyKeys.messages(caseId),
    queryFn: async () => (await api.get<{ items: OutboundMessage[] }>(`/api/v1/cases/${caseId}/messages`)).items,
    // Delivery happens in the background: look again while anything is still queued.
    // (Letters wait for people, not for delivery.)
    refetchInterval: (q) => (q.state.data?.some((m) => m.status === 'queued' && m.channel !== 'letter') ? 3000 : false),
  });
}

export function useCaseRating(caseId: string) {
  return useQuery({ queryKey: replyKeys.rating(caseId), queryFn: async () => (await api.get<{ rating: CaseRating | null }>(`/api/v1/cases/${caseId}/rating`)).rating });
}
