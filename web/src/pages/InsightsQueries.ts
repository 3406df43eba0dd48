// Fetchers, query keys and the shared URL state of the insights pages: the date range (with
// its presets, in the office's time zone) and the breakdown, kept in the query string so a
// view can be shared.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router-dom';
import type { Backlog, InsightDimension, Performance, Volumes, WardMap, Workload } from '../../../contract/insights.js';
import { api, type Query } from '../api/client.js';
import { todayIn } from '../format.js';
import { useSession } from '../session.js';

export const INSIGHTS_API = '/api/v1/insights';

export const insightKeys = {
  all: ['insights'] as const,
  performance: (q: Query) => ['insights', 'performance', q] as const,
  volumes: (q: Query) => ['insights', 'volumes', q] as const,
  backlog: (by: string) => ['insights', 'backlog', by] as const,
  workload: (q: Query) => ['insights', 'workload', q] as const,
  wardMap: (q: Query) => ['insights', 'wards', q] as const,
  points: (q: Query) => ['insights', 'points', q] as const,
  alerts: (status: string) => ['insights', 'alerts', status] as const,
  alert: (id: string) => ['insights', 'alert', id] as const,
  alertSettings: ['insights', 'alert-settings'] as const,
  reportSchedule: ['insights', 'report-schedule'] as const,
};

export const DIMENSION_LABELS: Record<InsightDimension, string> = {
  none: 'Nothing (whole office)', category: 'Category', team: 'Team', assignee: 'Staff member', channel: 'Channel', ward: 'Ward',
};
/** The heading of a breakdown's first column. */
export const DIMENSION_COLUMN: Record<InsightDimension, string> = {
  none: 'Office', category: 'Category', team: 'Team', assignee: 'Staff member', channel: 'Channel', ward: 'Ward',
};

/** A link into the API with a query string of the set values (CSV and PDF downloads). */
export function apiHref(path: string, query: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return `${INSIGHTS_API}${path}${s ? `?${s}` : ''}`;
}

/** A yyyy-mm-dd date moved by days (calendar arithmetic in UTC, so no DST surprises). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const RANGE_PRESETS = [
  { key: '7d', label: 'Last 7 days' },
  { key: '30d', label: 'Last 30 days' },
  { key: '90d', label: 'Last 90 days' },
  { key: '12m', label: 'Last 12 months' },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['key'];

/** A preset's range ending today (office-local). */
export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  switch (preset) {
    case '7d': return { from: addDays(today, -6), to: today };
    case '30d': return { from: addDays(today, -29), to: today };
    case '90d': return { from: addDays(today, -89), to: today };
    case '12m': {
      // The day after the same date a year before (29 February falls back to the 28th).
      const [y, m, d] = today.split('-').map(Number) as [number, number, number];
      const sameDay = new Date(Date.UTC(y - 1, m - 1, d));
      const yearBefore = sameDay.getUTCMonth() === m - 1 ? sameDay : new Date(Date.UTC(y - 1, m - 1, d - 1));
      return { from: addDays(yearBefore.toISOString().slice(0, 10), 1), to: today };
    }
  }
}

/** Today in the office's time zone (the figures' calendar). */
export function useOfficeToday(): string {
  const session = useSession();
  return todayIn(session.office.timeZone);
}

/**
 * The range (and any other insights parameters) in the URL. Absent from/to mean the server's
 * default (the last 30 days), which is also what the presets' "Last 30 days" gives.
 */
export function useInsightParams<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
  const update = (change: Partial<Record<K, string>>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change) as [string, string | undefined][]) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next, { replace: false });
  };
  return { values, update, params };
}

const STALE = 60_000;

export function usePerformance(query: { from?: string; to?: string; by: InsightDimension }, enabled = true) {
  const q: Query = { from: query.from, to: query.to, by: query.by };
  return useQuery({ queryKey: insightKeys.performance(q), queryFn: () => api.get<Performance>(`${INSIGHTS_API}/performance`, q), staleTime: STALE, enabled, placeholderData: keepPreviousData });
}

export function useBacklog(by: InsightDimension) {
  return useQuery({ queryKey: insightKeys.backlog(by), queryFn: () => api.get<Backlog>(`${INSIGHTS_API}/backlog`, { by }), staleTime: STALE, placeholderData: keepPreviousData });
}

export function useVolumes(q: Query) {
  return useQuery({ queryKey: insightKeys.volumes(q), queryFn: () => api.get<Volumes>(`${INSIGHTS_API}/volumes`, q), staleTime: STALE, placeholderData: keepPreviousData });
}

export function useWorkload(q: Query) {
  return useQuery({ queryKey: insightKeys.workload(q), queryFn: () => api.get<Workload>(`${INSIGHTS_API}/workload`, q), staleTime: STALE, placeholderData: keepPreviousData });
}

export function useWardMap(q: Query, enabled = true) {
  return useQuery({ queryKey: insightKeys.wardMap(q), queryFn: () => api.get<WardMap>(`${INSIGHTS_API}/map/wards`, q), staleTime: STALE, enabled, placeholderData: keepPreviousData });
}
