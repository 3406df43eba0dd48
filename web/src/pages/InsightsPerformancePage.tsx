// Service performance: the headline figures for a date range with their change against the
// previous period, the same figures broken down by category, team, staff member, channel or
// ward, and the backlog by age. The range and the breakdown live in the URL.
import { INSIGHT_DIMENSIONS, type InsightDimension, type Performance } from '../../../contract/insights.js';
import { DataTable } from '../components/DataTable.js';
import { SelectField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { InsightsBacklog } from './InsightsBacklog.js';
import { AsOf, DownloadLink, InsightsNav, RangePicker, SectionHeading } from './InsightsControls.js';
import { InsightDefinition } from './InsightDefinition.js';
import { changeLabel, describeChange, formatCount, formatDuration, formatScore, formatShare } from './InsightsFormat.js';
import { InsightsHeadline } from './InsightsHeadline.js';
import { apiHref, DIMENSION_COLUMN, DIMENSION_LABELS, useInsightParams, usePerformance } from './InsightsQueries.js';

const asDimension = (v: string): InsightDimension => ((INSIGHT_DIMENSIONS as readonly string[]).includes(v) ? (v as InsightDimension) : 'none');

function BreakdownTable({ data }: { data: Performance }) {
  const days = data.previous.days;
  return (
    <DataTable
      id="insights-breakdown"
      caption={data.by === 'none' ? 'Service performance for the whole office' : `Service performance by ${DIMENSION_COLUMN[data.by].toLowerCase()}`}
      columns={[DIMENSION_COLUMN[data.by], 'Opened', 'Change in opened', 'Resolved', 'First response, median (business)', 'Resolution, median (business)', 'Resolution, 90th percentile (business)', 'Resolution, median (calendar)', 'SLA compliance', 'Reopen rate', 'Satisfaction']}
    >
      {data.rows.map((r) => {
        const change = changeLabel(describeChange(r.current.opened, r.previous.opened, days), days);
        return (
          <tr key={r.key ?? 'none'}>
            <th scope="row">{r.label}</th>
            <td>{formatCount(r.current.opened)}</td>
            <td>{change.sign ? <span aria-hidden="true">{change.sign} </span> : null}<span aria-hidden="true">{change.visible}</span><span className="visually-hidden">{change.spoken}</span></td>
            <td>{formatCount(r.current.resolved)}</td>
            <td>{formatDuration(r.current.firstResponse.business.median)}</td>
            <td>{formatDuration(r.current.resolution.business.median)}</td>
            <td>{formatDuration(r.current.resolution.business.p90)}</td>
            <td>{formatDuration(r.current.resolution.calendar.median)}</td>
            <td>{formatShare(r.current.sla.compliance)}</td>
            <td>{formatShare(r.current.reopenRate)}</td>
            <td>{formatScore(r.current.satisfaction.average)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

export function InsightsPerformancePage() {
  const { values, update } = useInsightParams(['from', 'to', 'by'] as const);
  const by = asDimension(values.by);
  const range = { from: values.from || undefined, to: values.to || undefined };
  const headline = usePerformance({ ...range, by: 'none' });
  const breakdown = usePerformance({ ...range, by }, by !== 'none');
  const table = by === 'none' ? headline : breakdown;
  const shown = headline.data?.range;
  const rangeQuery = { from: values.from || shown?.from, to: values.to || shown?.to };
  return (
    <Page title="Service performance" lead="How quickly the office answers and resolves cases, how often it meets its targets, and how residents rate it.">
      <InsightsNav />
      <RangePicker error={headline.error} from={values.from} to={values.to} shown={shown} onChange={(r) => update(r)}>
        <SelectField id="insights-by" label="Break down by" value={by} onChange={(e) => update({ by: e.target.value === 'none' ? '' : e.target.value })}>
          {INSIGHT_DIMENSIONS.map((d) => <option key={d} value={d}>{DIMENSION_LABELS[d]}</option>)}
        </SelectField>
      </RangePicker>
      <ul className="inline-list">
        <li><a className="button" href={apiHref('/report.pdf', rangeQuery)} download>Download PDF report<span className="visually-hidden"> for this range</span></a></li>
      </ul>

      <QueryStatus query={headline} loading="Loading the figures…" />
      {headline.data ? (
        <>
          <AsOf asOf={headline.data.asOf} pending={headline.data.pending} isApproximate={headline.data.approximate} isRefreshing={headline.isFetching} />
          <InsightsHeadline data={headline.data} />
        </>
      ) : null}

      <section aria-labelledby="insights-breakdown-heading">
        <SectionHeading id="insights-breakdown-heading" title={by === 'none' ? 'The whole office' : `By ${DIMENSION_COLUMN[by].toLowerCase()}`}>
          <DownloadLink href={apiHref('/performance.csv', { ...rangeQuery, by })} what="service performance">Download CSV</DownloadLink>
        </SectionHeading>
        <p className="hint">
          Opened <InsightDefinition term="opened" /> · Resolved <InsightDefinition term="resolved" /> · SLA compliance <InsightDefinition term="slaCompliance" /> · Reopen rate <InsightDefinition term="reopenRate" /> · Satisfaction <InsightDefinition term="satisfaction" />
        </p>
        {by !== 'none' ? <QueryStatus query={breakdown} loading="Loading the breakdown…" /> : null}
        {table.data && table.data.by === by ? (
          <>
            {table.data.approximate && by !== 'none' ? <p className="hint">Durations are approximate (within 1%).</p> : null}
            <BreakdownTable data={table.data} />
            {table.data.rows.length === 0 ? <p>No cases in this range.</p> : null}
          </>
        ) : null}
      </section>

      <InsightsBacklog by={by} />
    </Page>
  );
}
