// Insights: service performance, volumes and trends, backlog, workload, emerging issues
// (alerts on unusual clusters), maps, and the weekly report. Every figure is for one office,
// over office-local calendar dates, and each is defined once in docs/INSIGHTS.md (the same
// words the staff UI shows as tooltips).
import { z } from 'zod';
import { ZCaseListQuery } from './cases.js';
import { ZTimestamp, ZUuid } from './common.js';

// ---------------------------------------------------------------- ranges and breakdowns

/** Longest range any figure covers: five years (with a leap day). */
export const INSIGHT_MAX_RANGE_DAYS = 1827;
/** Earliest date a range may start. */
export const INSIGHT_EARLIEST_DATE = '2000-01-01';

export const ZLocalDate = z.iso.date('must be a date written YYYY-MM-DD');

/** Breakdowns a figure can be split by; `none` gives one row for the whole office. */
export const INSIGHT_DIMENSIONS = ['none', 'category', 'team', 'assignee', 'channel', 'ward'] as const;
export const ZInsightDimension = z.enum(INSIGHT_DIMENSIONS);
export type InsightDimension = z.infer<typeof ZInsightDimension>;

export const INSIGHT_INTERVALS = ['day', 'week', 'month'] as const;
export const ZInsightInterval = z.enum(INSIGHT_INTERVALS);
export type InsightInterval = z.infer<typeof ZInsightInterval>;

/**
 * An inclusive range of office-local dates. Checked on the server (reversed, before 2000,
 * after tomorrow, longer than five years: 400 with the field named); the default is the last
 * 30 days up to today.
 */
export const ZInsightRangeQuery = z.strictObject({
  from: ZLocalDate.optional(),
  to: ZLocalDate.optional(),
});

export const ZResolvedRange = z.object({
  from: ZLocalDate,
  to: ZLocalDate,
  /** Number of days in the range (both ends included). */
  days: z.number().int(),
  timeZone: z.string(),
});
export type ResolvedRange = z.infer<typeof ZResolvedRange>;

/** Minutes; null when there is nothing to measure. */
const ZMinutes = z.number().nullable();

/** Median and 90th percentile of a duration, in minutes. */
export const ZDurationStats = z.object({
  count: z.number().int(),
  median: ZMinutes,
  p90: ZMinutes,
});
export type DurationStats = z.infer<typeof ZDurationStats>;

export const ZMetricSet = z.object({
  /** Cases opened (created) in the range. */
  opened: z.number().int(),
  /** Cases resolved in the range (first time each was resolved in the range). */
  resolved: z.number().int(),
  /** Time from opening to the first response, for cases first responded to in the range. */
  firstResponse: z.object({ calendar: ZDurationStats, business: ZDurationStats }),
  /** Time from opening to resolution, for cases resolved in the range. */
  resolution: z.object({ calendar: ZDurationStats, business: ZDurationStats }),
  sla: z.object({
    /** Cases first responded to in the range that had a first-response target, and how many met it. */
    firstResponseTargets: z.number().int(),
    firstResponseMet: z.number().int(),
    /** Cases resolved in the range that had a resolution target, and how many met it. */
    resolutionTargets: z.number().int(),
    resolutionMet: z.number().int(),
    /** resolutionMet / resolutionTargets, null when no target applied. */
    compliance: z.number().nullable(),
  }),
  /** Of the cases resolved in the range, how many have been reopened since. */
  reopened: z.number().int(),
  reopenRate: z.number().nullable(),
  satisfaction: z.object({
    count: z.number().int(),
    /** Mean score 1..5. */
    average: z.number().nullable(),
    /** Number of ratings of 1, 2, 3, 4 and 5. */
    distribution: z.array(z.number().int()).length(5),
  }),
});
export type MetricSet = z.infer<typeof ZMetricSet>;

export const ZPerformanceQuery = ZInsightRangeQuery.extend({
  by: ZInsightDimension.default('none'),
});
export type PerformanceQuery = z.input<typeof ZPerformanceQuery>;

export const ZPerformanceRow = z.object({
  /** The category, team, user or ward id, or the channel name; null for "none" and for
   * cases without one (uncategorised, unassigned, outside every ward). */
  key: z.string().nullable(),
  label: z.string(),
  current: ZMetricSet,
  /** The same figures for the period of equal length just before the range. */
  previous: ZMetricSet,
});
export type PerformanceRow = z.infer<typeof ZPerformanceRow>;

/**
 * What the summaries have not counted yet: changed cases waiting for the refresh job (up to
 * 1,000,000 counted), and whether the summaries are being recomputed from scratch, during
 * which every figure is incomplete. Both zero/false when the figures are current.
 */
export const ZPending = z.object({ cases: z.number().int(), rebuilding: z.boolean() });
export type Pending = z.infer<typeof ZPending>;

export const ZPerformance = z.object({
  range: ZResolvedRange,
  previous: ZResolvedRange,
  by: ZInsightDimension,
  /** Durations are exact up to a size, then read from histograms with at most 1% error. */
  approximate: z.boolean(),
  /** Figures include every change up to this instant, except what `pending` names. */
  asOf: ZTimestamp,
  pending: ZPending,
  rows: z.array(ZPerformanceRow),
  /** Share of inbound items in the range that triage handled without staff. */
  automation: z.object({ items: z.number().int(), automatic: z.number().int(), share: z.number().nullable() }),
});
export type Performance = z.infer<typeof ZPerformance>;

// ---------------------------------------------------------------- volumes and trends

export const VOLUME_DIMENSIONS = ['none', 'channel', 'category', 'ward'] as const;
export const ZVolumeQuery = ZInsightRangeQuery.extend({
  interval: ZInsightInterval.default('day'),
  by: z.enum(VOLUME_DIMENSIONS).default('none'),
});
export type VolumeQuery = z.input<typeof ZVolumeQuery>;

export const ZVolumePoint = z.object({
  /** First office-local day of the period (Monday for weeks). */
  period: ZLocalDate,
  /** Inbound items received; null when split by something items do not have (category, ward). */
  items: z.number().int().nullable(),
  cases: z.number().int(),
  /** Cases whose requester had no earlier case, and cases whose requester had. */
  newRequesters: z.number().int(),
  returningRequesters: z.number().int(),
});
export const ZVolumeSeries = z.object({
  key: z.string().nullable(),
  label: z.string(),
  total: z.object({ items: z.number().int().nullable(), cases: z.number().int() }),
  points: z.array(ZVolumePoint),
});
export const ZVolumes = z.object({
  range: ZResolvedRange,
  interval: ZInsightInterval,
  by: z.enum(VOLUME_DIMENSIONS),
  asOf: ZTimestamp,
  pending: ZPending,
  /** Series in descending order of cases; at most 20, the rest summed as "Other". */
  series: z.array(ZVolumeSeries),
  /** The ten categories with most cases in the range. */
  topCategories: z.array(z.object({ key: z.string().nullable(), label: z.string(), cases: z.number().int(), previousCases: z.number().int() })),
});
export type Volumes = z.infer<typeof ZVolumes>;

// ---------------------------------------------------------------- backlog and workload

export const BACKLOG_BUCKETS = ['0-2d', '3-7d', '8-30d', '31-90d', '90d+'] as const;
export const ZBacklogQuery = z.strictObject({ by: ZInsightDimension.default('none') });
export const ZBacklog = z.object({
  asOf: ZTimestamp,
  by: ZInsightDimension,
  buckets: z.array(z.enum(BACKLOG_BUCKETS)),
  rows: z.array(z.object({
    key: z.string().nullable(),
    label: z.string(),
    open: z.number().int(),
    /** Open cases per age bucket, in the order of `buckets`. */
    byAge: z.array(z.number().int()),
    /** Open cases past their resolution target. */
    overdue: z.number().int(),
  })),
});
export type Backlog = z.infer<typeof ZBacklog>;

export const ZWorkloadQuery = ZInsightRangeQuery;
export const ZWorkloadRow = z.object({
  kind: z.enum(['user', 'team']),
  key: z.string().nullable(),
  label: z.string(),
  open: z.number().int(),
  overdue: z.number().int(),
  /** Cases resolved in the range, and per working day of the office calendar. */
  resolved: z.number().int(),
  resolvedPerDay: z.number(),
  /** Inbound items this person filed (to a new or existing case) in the range, and per working day. */
  itemsHandled: z.number().int(),
  itemsPerDay: z.number(),
});
export const ZWorkload = z.object({
  range: ZResolvedRange,
  workingDays: z.number().int(),
  asOf: ZTimestamp,
  pending: ZPending,
  people: z.array(ZWorkloadRow),
  teams: z.array(ZWorkloadRow),
});
export type Workload = z.infer<typeof ZWorkload>;

// ---------------------------------------------------------------- choropleth

export const WARD_MEASURES = [
  'opened', 'resolved', 'open', 'overdue', 'resolutionMedian', 'firstResponseMedian', 'slaCompliance', 'reopenRate', 'satisfaction',
] as const;
export const ZWardMeasure = z.enum(WARD_MEASURES);
export const ZWardMapQuery = ZInsightRangeQuery.extend({
  measure: ZWardMeasure.default('opened'),
  layer: z.string().trim().max(40).default('ward'),
});
/** A GeoJSON FeatureCollection of the layer's boundaries with the measure in each feature's properties. */
export const ZWardMap = z.object({
  type: z.literal('FeatureCollection'),
  measure: ZWardMeasure,
  range: ZResolvedRange,
  /** For the measures read from the summaries; the open and overdue counts are live. */
  pending: ZPending,
  features: z.array(z.object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.unknown(),
    properties: z.object({ wardId: z.string(), name: z.string(), code: z.string(), value: z.number().nullable(), cases: z.number().int() }),
  })),
});
export type WardMap = z.infer<typeof ZWardMap>;

// ---------------------------------------------------------------- case points with clustering

/** The map's view: west,south,east,north in degrees (west < east, south < north). */
export const ZMapBbox = z.string().regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'must be west,south,east,north in degrees');
/**
 * The case list's filters (contract/cases.ts ZCaseListQuery without its paging and sort)
 * plus the map's view. Unknown parameters are refused (400, the parameter named).
 */
export const ZMapPointsQuery = z.strictObject({
  ...ZCaseListQuery.omit({ sort: true, order: true, limit: true, cursor: true }).shape,
  bbox: ZMapBbox,
  zoom: z.coerce.number().int().min(0).max(22),
});
export type MapPointsQuery = z.infer<typeof ZMapPointsQuery>;
export const ZMapPoints = z.object({
  type: z.literal('FeatureCollection'),
  /** Cases matching the filters in the grid cells the view touches (clusters included; a cell the view cuts counts whole). */
  total: z.number().int(),
  features: z.array(z.object({
    type: z.literal('Feature'),
    geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
    properties: z.union([
      /** bbox: the cluster's grid cell (west, south, east, north), the area to zoom into. */
      z.object({ cluster: z.literal(true), count: z.number().int(), bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]) }),
      z.object({ cluster: z.literal(false), caseId: ZUuid, reference: z.string(), subject: z.string(), status: z.string(), categoryName: z.string().nullable() }),
    ]),
  })),
});
export type MapPoints = z.infer<typeof ZMapPoints>;

// ---------------------------------------------------------------- emerging issues

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export const ZAlertListQuery = z.strictObject({
  status: z.enum([...ALERT_STATUSES, 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export const ZInsightAlert = z.object({
  id: ZUuid,
  categoryId: ZUuid.nullable(),
  categoryName: z.string(),
  wardId: ZUuid.nullable(),
  wardName: z.string(),
  /** The recent window that grew unusually (office-local dates, both included). */
  windowFrom: ZLocalDate,
  windowTo: ZLocalDate,
  observed: z.number().int(),
  /** What the model expected for the window from this category and ward's own history. */
  expected: z.number(),
  /** Probability of seeing at least `observed` if nothing had changed (Poisson upper tail). */
  pValue: z.number(),
  status: z.enum(ALERT_STATUSES),
  raisedAt: ZTimestamp,
  /** Last time the job found the cluster still growing. */
  updatedAt: ZTimestamp,
  acknowledgedAt: ZTimestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  note: z.string().nullable(),
  /** [west, south, east, north] of the cluster's cases with a location; null if none has one. */
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
});
export type InsightAlert = z.infer<typeof ZInsightAlert>;

export const ZInsightAlertDetail = ZInsightAlert.extend({
  cases: z.array(z.object({
    id: ZUuid, reference: z.string(), subject: z.string(), status: z.string(), createdAt: ZTimestamp, lat: z.number().nullable(), lng: z.number().nullable(),
  })),
});
export type InsightAlertDetail = z.infer<typeof ZInsightAlertDetail>;

export const ZAcknowledgeAlert = z.strictObject({ note: z.string().trim().max(2000).optional() });

export const ZAlertSettings = z.object({
  enabled: z.boolean(),
  /** Days in the recent window compared with history. */
  windowDays: z.number().int().min(1).max(14),
  /** Weeks of history the expectation is learnt from. */
  historyWeeks: z.number().int().min(4).max(104),
  /** Fewest reports in the window that can raise an alert. */
  minCount: z.number().int().min(2).max(1000),
  /** Alert when the Poisson upper-tail probability is below this. */
  pValue: z.number().min(1e-9).max(0.05),
});
export type AlertSettings = z.infer<typeof ZAlertSettings>;
export const ZUpdateAlertSettings = ZAlertSettings.partial().strict();

/** What one run of the detector did for the office (POST /insights/alerts/scan). */
export const ZAlertScanResult = z.object({
  /** False when the office has alerts switched off: nothing was looked at. */
  enabled: z.boolean(),
  windowFrom: ZLocalDate.nullable(),
  windowTo: ZLocalDate.nullable(),
  /** Category and ward pairs with reports in the window. */
  pairs: z.number().int(),
  raised: z.array(ZInsightAlert),
  updated: z.array(ZInsightAlert),
  /** Pairs still unusual but no bigger than their acknowledged alert. */
  silenced: z.number().int(),
});
export type AlertScanResult = z.infer<typeof ZAlertScanResult>;

// ---------------------------------------------------------------- weekly report

export const ZReportSchedule = z.object({
  enabled: z.boolean(),
  /** ISO weekday 1 (Monday) .. 7 (Sunday), office-local. */
  weekday: z.number().int().min(1).max(7),
  /** Office-local hour 0..23 the report is sent at. */
  hour: z.number().int().min(0).max(23),
  /** Active managers and admins get it; these add other addresses. */
  extraRecipients: z.array(z.email()).max(50),
  lastSentAt: ZTimestamp.nullable(),
  lastSentWeek: z.string().nullable(),
});
export type ReportSchedule = z.infer<typeof ZReportSchedule>;
export const ZUpdateReportSchedule = ZReportSchedule.omit({ lastSentAt: true, lastSentWeek: true }).partial().strict();
export type UpdateReportSchedule = z.infer<typeof ZUpdateReportSchedule>;
