// Query keys, fetchers and display labels of the constituent registry pages.
import { useQuery } from '@tanstack/react-query';
import type {
  Constituent, ContactChannel, ContactPurpose, CustomFieldDefinition, Relationship,
} from '../../../contract/constituents.js';
import type { Boundary, BoundarySummary } from '../../../contract/geo.js';
import { api, ApiError } from '../api/client.js';

export type PossibleDuplicate = { id: string; displayName: string; score: number; reasons: string[] };

export const constituentKeys = {
  all: ['constituents'] as const,
  list: (filters: Record<string, string>) => ['constituents', 'list', filters] as const,
  search: (q: string) => ['constituents', 'search', q] as const,
  one: (id: string) => ['constituents', id] as const,
  consents: (id: string) => ['constituents', id, 'consents'] as const,
  timeline: (id: string, kind: string) => ['constituents', id, 'timeline', kind] as const,
  relationships: (id: string) => ['constituents', id, 'relationships'] as const,
  customFields: ['custom-fields'] as const,
  wards: ['geo', 'boundaries', 'ward'] as const,
  boundary: (id: string) => ['geo', 'boundary', id] as const,
};

export function useConstituent(id: string) {
  return useQuery({ queryKey: constituentKeys.one(id), queryFn: () => api.get<Constituent>(`/api/v1/constituents/${id}`) });
}

export function useCustomFields() {
  return useQuery({
    queryKey: constituentKeys.customFields,
    queryFn: async () => (await api.get<{ items: CustomFieldDefinition[] }>('/api/v1/custom-fields')).items,
  });
}

/** The office's wards, for the ward filter (empty when no boundaries are loaded). */
export function useWards() {
  return useQuery({
    queryKey: constituentKeys.wards,
    queryFn: async () => (await api.get<{ items: BoundarySummary[] }>('/api/v1/geo/boundaries', { layer: 'ward' })).items,
    staleTime: 5 * 60_000,
  });
}

export function useBoundary(id: string | null) {
  return useQuery({
    queryKey: constituentKeys.boundary(id ?? ''),
    enabled: id !== null,
    queryFn: () => api.get<Boundary>(`/api/v1/geo/boundaries/${id}`),
    staleTime: 5 * 60_000,
  });
}

export function useRelationships(id: string) {
  return useQuery({
    queryKey: constituentKeys.relationships(id),
    queryFn: async () => (await api.get<{ items: Relationship[] }>(`/api/v1/constituents/${id}/relationships`)).items,
  });
}

export const CHANNEL_LABELS: Record<ContactChannel, string> = { email: 'Email', sms: 'SMS', phone: 'Phone', post: 'Post' };
export const PURPOSE_LABELS: Record<ContactPurpose, string> = { casework: 'Casework replies', outreach: 'Newsletters and outreach', surveys: 'Surveys' };
export const SOURCE_LABELS: Record<string, string> = {
  web_form: 'Web form', email: 'Email', sms: 'SMS', phone: 'Verbally, on the phone', paper: 'Paper form',
  in_person: 'In person', portal: 'Resident portal', import: 'Import', other: 'Other', sms_keyword: 'SMS keyword (STOP / START)',
};
export const FIELD_TYPE_LABELS: Record<CustomFieldDefinition['type'], string> = {
  text: 'Text', number: 'Number', date: 'Date', choice: 'Single choice', multi_choice: 'Multiple choice',
};

/** "parent_of" → "Parent of", "wrong_number" → "Wrong number". */
export function humanize(code: string): string {
  const s = code.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A calendar date (yyyy-mm-dd) shown in the browser's locale without shifting time zones. */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  return new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))));
}

/** One line for an address: "12 High Street, Flat 2, Riverton RV1 2AB". */
export function addressLine(a: { line1: string; line2: string | null; locality: string | null; postcode: string | null }): string {
  return [a.line1, a.line2, [a.locality, a.postcode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

/** A problem found in the browser before sending, shown like the API's validation errors. */
export function formProblem(errors: { field: string; message: string }[]): ApiError {
  return new ApiError({
    type: 'about:blank', title: 'The form has errors', status: 400, code: 'validation_failed',
    detail: errors.length === 1 ? 'One field needs attention.' : `${errors.length} fields need attention.`,
    field: errors[0]?.field, errors,
  });
}
