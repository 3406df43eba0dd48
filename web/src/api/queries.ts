// Query keys and fetchers shared by several pages.
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Office, Page, User } from '../../../contract/index.js';
import type { ZInboxCounts } from '../../../contract/intake.js';
import { api } from './client.js';

export const keys = {
  office: ['office'] as const,
  users: (filters: Record<string, string>) => ['users', filters] as const,
  allUsers: ['users', 'all'] as const,
  teams: ['teams'] as const,
  tokens: (includeRevoked: boolean) => ['tokens', includeRevoked] as const,
  audit: (filters: Record<string, string>) => ['audit', filters] as const,
  queues: ['jobs', 'queues'] as const,
  failedJobs: ['jobs', 'failed'] as const,
  /** Everything of the inbox (lists, items, counts): for invalidating after an action. */
  inbox: ['inbox'] as const,
  inboxCounts: ['inbox', 'counts'] as const,
};

export function useOffice() {
  return useQuery({ queryKey: keys.office, queryFn: () => api.get<Office>('/api/v1/office') });
}

/** How many inbox items are new, need attention or wait to be processed (the navigation shows it too). */
export function useInboxCounts() {
  return useQuery({ queryKey: keys.inboxCounts, queryFn: () => api.get<z.infer<typeof ZInboxCounts>>('/api/v1/inbox/counts'), refetchInterval: 60_000 });
}

/** Every user of the office (for pickers), following cursors page by page. */
export function useAllUsers(enabled = true) {
  return useQuery({
    queryKey: keys.allUsers,
    enabled,
    queryFn: async () => {
      const all: User[] = [];
      let cursor: string | undefined;
      for (let n = 0; n < 50; n++) {
        const page = await api.get<Page<User>>('/api/v1/users', { limit: 200, cursor });
        all.push(...page.items);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return all;
    },
  });
}
