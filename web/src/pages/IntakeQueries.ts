// Query keys and fetchers of the intake channel settings: email addresses and IMAP
// mailboxes, SMS, Open311 services and keys, and the public web form.
import { useQuery } from '@tanstack/react-query';
import type { IntakeAddress } from '../../../contract/intake.js';
import type { ImapMailbox } from '../../../contract/intake-mailboxes.js';
import type { Open311Key, Open311Service } from '../../../contract/open311.js';
import type { SmsSettings } from '../../../contract/sms.js';
import type { PublicFormSettings } from '../../../contract/web-intake.js';
import { api, ApiError } from '../api/client.js';

export const intakeKeys = {
  addresses: ['intake', 'addresses'] as const,
  mailboxes: ['intake', 'mailboxes'] as const,
  sms: ['intake', 'sms'] as const,
  open311Services: ['intake', 'open311', 'services'] as const,
  open311Keys: ['intake', 'open311', 'keys'] as const,
  publicForm: ['intake', 'public-form'] as const,
};

export function useIntakeAddresses() {
  return useQuery({ queryKey: intakeKeys.addresses, queryFn: async () => (await api.get<{ items: IntakeAddress[] }>('/api/v1/intake/addresses')).items });
}

export function useMailboxes() {
  return useQuery({
    queryKey: intakeKeys.mailboxes,
    queryFn: async () => (await api.get<{ items: ImapMailbox[] }>('/api/v1/intake/mailboxes')).items,
    // A saved mailbox is polled at once in the background: look again soon while a mailbox has
    // no outcome yet (neither a success nor an error), then now and again for later polls; not
    // at all while no mailbox is read.
    refetchInterval: (q) => {
      const live = (q.state.data ?? []).filter((m) => m.enabled);
      if (live.some((m) => !m.status.lastSuccessAt && !m.status.lastError)) return 3000;
      return live.length ? 60_000 : false;
    },
  });
}

/** The office's SMS settings, or null while SMS is not set up (the API answers 404). */
export function useSmsSettings() {
  return useQuery({
    queryKey: intakeKeys.sms,
    queryFn: async () => {
      try {
        return await api.get<SmsSettings>('/api/v1/sms/settings');
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
  });
}

export function useOpen311Services() {
  return useQuery({ queryKey: intakeKeys.open311Services, queryFn: async () => (await api.get<{ items: Open311Service[] }>('/api/v1/open311/services')).items });
}

export function useOpen311Keys() {
  return useQuery({ queryKey: intakeKeys.open311Keys, queryFn: async () => (await api.get<{ items: Open311Key[] }>('/api/v1/open311/keys')).items });
}

export function usePublicForm() {
  return useQuery({ queryKey: intakeKeys.publicForm, queryFn: () => api.get<PublicFormSettings>('/api/v1/intake/public-form') });
}

/** This server's address, as the browser reaches it (public pages are served by the same server). */
export const serverOrigin = () => window.location.origin;
