// The case list's filters, kept in the URL (bookmarkable, shareable, Back works) plus the
// draft being edited in the filter form. URL values are what the form shows (dates as
// yyyy-mm-dd); toApiQuery turns them into the API's parameters.
import { useUrlFilters } from '../hooks/useUrlFilters.js';
import { startOfLocalDay } from '../format.js';

export const CASE_FILTER_KEYS = [
  'q', 'status', 'statusCategory', 'category', 'assignee', 'team', 'ward', 'priority', 'channel', 'overdue',
  'createdFrom', 'createdTo', 'mine', 'sort', 'order', 'constituent',
] as const;
export type CaseFilters = Record<(typeof CASE_FILTER_KEYS)[number], string>;
export const EMPTY_CASE_FILTERS = Object.fromEntries(CASE_FILTER_KEYS.map((k) => [k, ''])) as CaseFilters;

/** "My work": open and waiting cases assigned to me, the oldest first. */
export const MY_WORK: Partial<CaseFilters> = { mine: 'true', statusCategory: 'open,waiting', order: 'asc' };

function fromParams(params: URLSearchParams): CaseFilters {
  return Object.fromEntries(CASE_FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as CaseFilters;
}

/** The URL's parameters: only the filters that are set. */
export function toUrlQuery(f: Partial<CaseFilters>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of CASE_FILTER_KEYS) {
    const v = (f[k] ?? '').trim();
    if (v) out[k] = v;
  }
  return out;
}

/** The API's parameters (also the export link's). */
export function toApiQuery(f: CaseFilters): Record<string, string> {
  const out = toUrlQuery(f);
  delete out.createdFrom;
  delete out.createdTo;
  const from = startOfLocalDay(f.createdFrom);
  const to = startOfLocalDay(f.createdTo, 1);
  if (from) out.createdFrom = from;
  if (to) out.createdTo = to;
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** An ISO instant as the local calendar date (yyyy-mm-dd), moved by some days. */
function localDate(iso: string, plusDays = 0): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  d.setDate(d.getDate() + plusDays);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A saved view's filters (the API's parameters) as the URL's. */
export function fromApiFilters(api: Record<string, string | undefined>): Partial<CaseFilters> {
  const out: Partial<CaseFilters> = {};
  for (const k of CASE_FILTER_KEYS) if (api[k]) out[k] = api[k];
  if (api.createdFrom) out.createdFrom = localDate(api.createdFrom);
  // The API's upper bound is the next day's midnight.
  if (api.createdTo) out.createdTo = localDate(api.createdTo, -1);
  return out;
}

export const isMyWork = (f: CaseFilters) => Object.entries(MY_WORK).every(([k, v]) => f[k as keyof CaseFilters] === v)
  && CASE_FILTER_KEYS.every((k) => k in MY_WORK || !f[k]);

export function useCaseFilters() {
  return useUrlFilters({ empty: EMPTY_CASE_FILTERS, fromParams, toUrl: toUrlQuery, toApi: toApiQuery });
}
