// The measures a ward map can show: their names and how their values are written.
import type { WardMap } from '../../../contract/insights.js';
import { formatCount, formatDuration, formatScore, formatShare } from './InsightsFormat.js';

type Measure = WardMap['measure'];

export const MEASURE_LABELS: Record<Measure, string> = {
  opened: 'Cases opened',
  resolved: 'Cases resolved',
  open: 'Open cases now',
  overdue: 'Overdue cases now',
  resolutionMedian: 'Median time to resolution',
  firstResponseMedian: 'Median time to first response',
  slaCompliance: 'SLA compliance',
  reopenRate: 'Reopen rate',
  satisfaction: 'Satisfaction',
};

export function formatMeasure(measure: Measure, value: number | null): string {
  switch (measure) {
    case 'opened':
    case 'resolved':
    case 'open':
    case 'overdue':
      return formatCount(value);
    case 'resolutionMedian':
    case 'firstResponseMedian':
      return formatDuration(value);
    case 'slaCompliance':
    case 'reopenRate':
      return formatShare(value);
    case 'satisfaction':
      return formatScore(value);
  }
}
