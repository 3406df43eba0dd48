// Volumes and trends: items received and cases opened per day, week or month, split by
// channel, category or ward; new and returning requesters; the top categories against the
// previous period.
import { INSIGHT_INTERVALS, VOLUME_DIMENSIONS, type InsightInterval, type Volumes } from '../../../contract/insights.js';
import { DataTable } from '../components/DataTable.js';
import { SelectField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { AsOf, DownloadLink, InsightsNav, RangePicker, SectionHeading } from './InsightsControls.js';
import { InsightDefinition } from './InsightDefinition.js';
import { changeLabel, describeChange, formatCount } from './InsightsFormat.js';
import { InsightsLineChart, type LineSeries } from './InsightsLineChart.js';
import { apiHref, useInsightParams, useVolumes } from './InsightsQueries.js';

type VolumeBy = (typeof VOLUME_DIMENSIONS)[number];
const BY_LABELS: Record<VolumeBy, string> = { none: 'Nothing (whole office)', channel: 'Channel', category: 'Category', ward: 'Ward' };
const INTERVAL_LABELS: Record<InsightInterval, string> = { day: 'Day', week: 'Week', month: 'Month' };
const INTERVAL_NOUN: Record<InsightInterval, string> = { day: 'day', week: 'week', month: 'month' };

const pick = <T extends string>(all: readonly T[], v: string, fallback: T): T => ((all as readonly string[]).includes(v) ? (v as T) : fallback);

/** Every period of the data, in order (series may be sparse in theory; the union is the axis). */
function periodsOf(data: Volumes): string[] {
  return [...new Set(data.series.flatMap((s) => s.points.map((p) => p.period)))].sort();
}

function valuesOf(data: Volumes, periods: string[], read: (p: Volumes['series'][number]['points'][number]) => number | null): LineSeries[] {
  return data.series.map((s, i) => {
    const byPeriod = new Map(s.points.map((p) => [p.period, read(p)]));
    return { key: s.key ?? `none-${i}`, label: s.label, values: periods.map((p) => (byPeriod.has(p) ? byPeriod.get(p) ?? null : 0)) };
  });
}

function sumOver(series: Volumes['series'], periods: string[], read: (p: Volumes['series'][number]['points'][number]) => number): number[] {
  return periods.map((period) => series.reduce((a, s) => {
    const point = s.points.find((p) => p.period === period);
    return a + (point ? read(point) : 0);
  }, 0));
}

function Volume({ data, measure }: { data: Volumes; measure: 'cases' | 'items' }) {
  const periods = periodsOf(data);
  const noun = INTERVAL_NOUN[data.interval];
  if (data.by === 'none') {
    const series = valuesOf(data, periods, (p) => p.cases).map((s) => ({ ...s, key: 'cases', label: 'Cases opened' }));
    const items = valuesOf(data, periods, (p) => p.items).map((s) => ({ ...s, key: 'items', label: 'Items received' }));
    return <InsightsLineChart id="insights-volumes" caption={`Items received and cases opened per ${noun}`} periods={periods} series={[...items, ...series]} yLabel="Items and cases" />;
  }
  const series = valuesOf(data, periods, (p) => (measure === 'items' ? p.items : p.cases));
  const what = measure === 'items' ? 'Items received' : 'Cases opened';
  return <InsightsLineChart id="insights-volumes" caption={`${what} per ${noun}, by ${data.by}`} periods={periods} series={series} yLabel={what} />;
}

function Requesters({ data }: { data: Volumes }) {
  const periods = periodsOf(data);
  const series: LineSeries[] = [
    { key: 'new', label: 'New requesters', values: sumOver(data.series, periods, (p) => p.newRequesters) },
    { key: 'returning', label: 'Returning requesters', values: sumOver(data.series, periods, (p) => p.returningRequesters) },
  ];
  return <InsightsLineChart id="insights-requesters" caption={`Cases from new and returning requesters per ${INTERVAL_NOUN[data.interval]}`} periods={periods} series={series} yLabel="Cases" />;
}

function TopCategories({ data }: { data: Volumes }) {
  const days = data.range.days;
  if (!data.topCategories.length) return <p>No cases in this range.</p>;
  return (
    <DataTable id="insights-top-categories" caption="The ten categories with most cases" columns={['Category', 'Cases', `Previous ${formatCount(days)} days`, 'Change']}>
      {data.topCategories.map((c) => {
        const change = changeLabel(describeChange(c.cases, c.previousCases, days), days);
        return (
          <tr key={c.key ?? 'none'}>
            <th scope="row">{c.label}</th>
            <td>{formatCount(c.cases)}</td>
            <td>{formatCount(c.previousCases)}</td>
            <td>{change.sign ? <span aria-hidden="true">{change.sign} </span> : null}<span aria-hidden="true">{change.visible}</span><span className="visually-hidden">{change.spoken}</span></td>
          </tr>
        );
      })}
    </DataTable>
  );
}

export function InsightsTrendsPage() {
  const { values, update } = useInsightParams(['from', 'to', 'interval', 'by', 'measure'] as const);
  const interval = pick(INSIGHT_INTERVALS, values.interval, 'day');
  const by = pick(VOLUME_DIMENSIONS, values.by, 'none');
  const canShowItems = by === 'none' || by === 'channel';
  const measure = canShowItems && values.measure === 'items' ? 'items' : 'cases';
  const query = { from: values.from || undefined, to: values.to || undefined, interval, by };
  const volumes = useVolumes(query);
  const data = volumes.data;
  return (
    <Page title="Trends" lead="What arrives and when: items received and cases opened over time, by channel, category or ward.">
      <InsightsNav />
      <RangePicker error={volumes.error} from={values.from} to={values.to} shown={data?.range} onChange={(r) => update(r)}>
        <SelectField id="insights-interval" label="Per" value={interval} onChange={(e) => update({ interval: e.target.value === 'day' ? '' : e.target.value })}>
          {INSIGHT_INTERVALS.map((i) => <option key={i} value={i}>{INTERVAL_LABELS[i]}</option>)}
        </SelectField>
        <SelectField id="insights-volume-by" label="Split by" value={by} onChange={(e) => update({ by: e.target.value === 'none' ? '' : e.target.value })}>
          {VOLUME_DIMENSIONS.map((d) => <option key={d} value={d}>{BY_LABELS[d]}</option>)}
        </SelectField>
        {by !== 'none' ? (
          <SelectField id="insights-measure" label="Count" value={measure} hint={canShowItems ? undefined : 'Items have no category or ward until they become cases.'}
            onChange={(e) => update({ measure: e.target.value === 'cases' ? '' : e.target.value })}>
            <option value="cases">Cases opened</option>
            {canShowItems ? <option value="items">Items received</option> : null}
          </SelectField>
        ) : null}
      </RangePicker>
      <QueryStatus query={volumes} loading="Loading the trends…" />
      {data ? (
        <>
          <AsOf asOf={data.asOf} pending={data.pending} isRefreshing={volumes.isFetching} />
          <section aria-labelledby="insights-volumes-heading">
            <SectionHeading id="insights-volumes-heading" title="Volumes">
              <DownloadLink href={apiHref('/volumes.csv', { from: query.from ?? data.range.from, to: query.to ?? data.range.to, interval, by })} what="the volumes">Download CSV</DownloadLink>
            </SectionHeading>
            <p className="hint">Items <InsightDefinition term="items" /> · Cases <InsightDefinition term="cases" /></p>
            <Volume data={data} measure={measure} />
          </section>
          <section aria-labelledby="insights-requesters-heading">
            <SectionHeading id="insights-requesters-heading" title="New and returning requesters" />
            <p className="hint">New <InsightDefinition term="newRequesters" /> · Returning <InsightDefinition term="returningRequesters" /></p>
            <Requesters data={data} />
          </section>
          <section aria-labelledby="insights-top-heading">
            <SectionHeading id="insights-top-heading" title="Top categories" />
            <TopCategories data={data} />
          </section>
        </>
      ) : null}
    </Page>
  );
}
