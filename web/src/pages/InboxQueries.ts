// Query keys, labels and the actions of the inbox pages (the list and one item).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CaseSummary } from '../../../contract/cases.js';
import type { Page as ListPage } from '../../../contract/common.js';
import type { InboundChannel, InboundItem, InboundStatus, ZCreateCaseFromItem } from '../../../contract/intake.js';
import { api, ApiError } from '../api/client.js';
import { keys } from '../api/queries.js';
import { caseKeys } from './CaseQueries.js';

export const inboxKeys = {
  list: (filters: Record<string, string>) => [...keys.inbox, 'list', filters] as const,
  one: (id: string) => [...keys.inbox, 'item', id] as const,
};

export const INBOUND_CHANNEL_LABELS: Record<InboundChannel, string> = {
  email: 'Email', sms: 'Text message', open311: 'Open311', web: 'Web form', phone: 'Phone', voicemail: 'Voicemail',
  walk_in: 'Walk-in', event: 'Event', social: 'Social media', webhook: 'Webhook',
};

/** A glyph beside each channel's name (decorative: the name is always written too). */
export const INBOUND_CHANNEL_ICONS: Record<InboundChannel, string> = {
  email: '✉', sms: '💬', open311: '📍', web: '🌐', phone: '📞', voicemail: '📼', walk_in: '🚶', event: '📅', social: '📣', webhook: '🔗',
};

export const INBOUND_STATUS_LABELS: Record<InboundStatus, string> = {
  received: 'Being processed', new: 'New', needs_attention: 'Needs attention', filed: 'Filed', ignored: 'Ignored', spam: 'Spam',
};

/** The badge colours of the case pages (Case.css), by what the status asks of staff. */
export const INBOUND_STATUS_BADGES: Record<InboundStatus, string> = {
  received: 'status-waiting', new: 'status-open', needs_attention: 'badge-disabled', filed: 'badge-active', ignored: 'status-closed', spam: 'status-closed',
};

/** Who sent an item, as a heading or a sentence can name it. */
export const senderOf = (i: { senderName: string | null; senderAddress: string | null }) => i.senderName ?? i.senderAddress ?? 'an unknown sender';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A case named by its id or its reference (found through the case list's search); the error names the caseId field. */
export async function findCase(input: string): Promise<{ id: string; reference: string }> {
  const text = input.trim();
  if (UUID.test(text)) return { id: text.toLowerCase(), reference: text };
  const ref = text.toUpperCase();
  const found = ref ? (await api.get<ListPage<CaseSummary>>('/api/v1/cases', { q: ref, limit: 5 })).items.find((c) => c.reference === ref) : undefined;
  if (!found) {
    const detail = ref ? `No case ${ref} in this office` : 'Enter a case reference, such as C-2026-00042';
    throw new ApiError({ type: 'about:blank', title: 'No such case', status: 400, code: 'validation_failed', detail, field: 'caseId' });
  }
  return { id: found.id, reference: found.reference };
}

export type InboxAction =
  /** The case by its id or reference. */
  | { kind: 'attach'; case: string }
  | { kind: 'create-case'; body: z.input<typeof ZCreateCaseFromItem> }
  | { kind: 'spam' }
  | { kind: 'not-spam' }
  | { kind: 'confirm-sender' }
  | { kind: 'merge-sender'; constituentId: string }
  | { kind: 'retry' };

/** What an action answers: the case an item was filed on, a new status, or whether the sender was confirmed. */
export type InboxActionResult = { caseId?: string; reference?: string; status?: string; confirmed?: boolean; constituentId?: string } | undefined;

/** Runs an action on an item, then refreshes the inbox (lists, counts, the item) and, when a case changed, the cases. */
export function useInboxAction(item: InboundItem, onDone: (result: InboxActionResult, action: InboxAction) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (action: InboxAction) => {
      const path = `/api/v1/inbox/${item.id}/${action.kind}`;
      if (action.kind === 'attach') return api.post<InboxActionResult>(path, { caseId: (await findCase(action.case)).id });
      if (action.kind === 'create-case') return api.post<InboxActionResult>(path, action.body);
      if (action.kind === 'merge-sender') return api.post<InboxActionResult>(path, { constituentId: action.constituentId });
      return api.post<InboxActionResult>(path);
    },
    onSuccess: (result, action) => {
      void queryClient.invalidateQueries({ queryKey: keys.inbox });
      if (result?.caseId || result?.constituentId) void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone(result, action);
    },
  });
}
