// The constituent list's search and filters, kept in the URL (so a search can be bookmarked,
// shared and reached again with Back) plus the draft being edited in the filter form.
import { useUrlFilters } from '../hooks/useUrlFilters.js';

export type ConstituentFilters = { q: string; ward: string; tag: string; fieldKey: string; fieldValue: string; hasOpenCase: string; kind: string };
export const EMPTY_FILTERS: ConstituentFilters = { q: '', ward: '', tag: '', fieldKey: '', fieldValue: '', hasOpenCase: '', kind: '' };

function fromParams(params: URLSearchParams): ConstituentFilters {
  const field = params.get('field') ?? '';
  const colon = field.indexOf(':');
  return {
    q: params.get('q') ?? '',
    ward: params.get('ward') ?? '',
    tag: params.get('tag') ?? '',
    fieldKey: colon > 0 ? field.slice(0, colon) : '',
    fieldValue: colon > 0 ? field.slice(colon + 1) : '',
    hasOpenCase: params.get('hasOpenCase') ?? '',
    kind: params.get('kind') ?? '',
  };
}

/** The API's query parameters for these filters (also the URL's, and the export link's). */
export function toQuery(f: ConstituentFilters): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.q.trim()) out.q = f.q.trim();
  if (f.ward) out.ward = f.ward;
  if (f.tag.trim()) out.tag = f.tag.trim();
  if (f.fieldKey && f.fieldValue.trim()) out.field = `${f.fieldKey}:${f.fieldValue.trim()}`;
  if (f.hasOpenCase) out.hasOpenCase = f.hasOpenCase;
  if (f.kind) out.kind = f.kind;
  return out;
}

export function useConstituentFilters() {
  return useUrlFilters({ empty: EMPTY_FILTERS, fromParams, toUrl: (f: Partial<ConstituentFilters>) => toQuery({ ...EMPTY_FILTERS, ...f }) });
}
