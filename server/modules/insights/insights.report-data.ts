// What the weekly report and its PDF show, read through the same functions as the dashboards:
// performance by category and for the whole office, daily volumes by channel, the backlog,
// the workload and the open emerging-issue alerts.
import * as alerts from './insights.alerts.js';
import type { ReportLoader } from './insights.report.js';
import * as figures from './insights.service.js';

/** Open alerts listed in a report, newest first. */
const REPORT_ALERTS = 50;

export const loadReportData: ReportLoader = async (scope, range) => {
  const performance = await figures.performance(scope, { ...range, by: 'category' });
  const overall = await figures.performance(scope, { ...range, by: 'none' });
  const volumes = await figures.volumes(scope, { ...range, interval: 'day', by: 'channel' });
  const backlog = await figures.backlog(scope, { by: 'none' });
  const workload = await figures.workload(scope, range);
  const open = await alerts.list(scope, { canSeeSensitive: false }, { status: 'open', limit: REPORT_ALERTS });
  return { performance, overall, volumes, backlog, workload, alerts: open.items };
};
