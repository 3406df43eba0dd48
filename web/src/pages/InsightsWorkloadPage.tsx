// Workload: open and overdue cases per person and per team now, and what each resolved and
// handled in the range (in all and per working day), with a bar chart of open and overdue
// cases per person.
import type { Workload } from '../../../contract/insights.js';
import { DataTable } from '../components/DataTable.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { CHART_STYLE, InsightChart, labelRoom, type PlotModule } from './InsightChart.js';
import { AsOf, DownloadLink, InsightsNav, RangePicker, SectionHeading } from './InsightsControls.js';
import { InsightDefinition } from './InsightDefinition.js';
import { formatCount, formatRate } from './InsightsFormat.js';
import { apiHref, useInsightParams, useWorkload } from './InsightsQueries.js';

type Row = Workload['people'][number];

/** Open and overdue side by side for each person, each bar named on the axis (no colour needed). */
function drawOpenOverdue(people: Row[]) {
  return (Plot: PlotModule, width: number) => {
    const bars = people.flatMap((p) => [
      { person: p.label, measure: 'Open', value: p.open },
      { person: p.label, measure: 'Overdue', value: p.overdue },
    ]);
    const labels = labelRoom(people.map((p) => p.label), width);
    return Plot.plot({
      width,
      height: people.length * 56 + 50,
      marginLeft: labels.margin,
      marginRight: Math.min(110, Math.floor(width * 0.3)),
      style: CHART_STYLE,
      x: { label: 'Cases', grid: true },
      // Each bar says what it is ("Open 5", "Overdue 2"), so the measure axis is not needed.
      y: { axis: null, domain: ['Open', 'Overdue'] },
      fy: { label: null, axis: 'left', domain: people.map((p) => p.label), tickFormat: labels.format },
      marks: [
        Plot.barX(bars, { x: 'value', y: 'measure', fy: 'person', fill: (d: { measure: string }) => (d.measure === 'Open' ? '#0b4f9c' : '#a4161a') }),
        Plot.text(bars, { x: 'value', y: 'measure', fy: 'person', text: (d: { measure: string; value: number }) => `${d.measure} ${formatCount(d.value)}`, dx: 6, textAnchor: 'start' }),
        Plot.ruleX([0]),
      ],
    });
  };
}

function WorkloadTable({ id, caption, first, rows }: { id: string; caption: string; first: string; rows: Row[] }) {
  return (
    <DataTable id={id} caption={caption} columns={[first, 'Open', 'Overdue', 'Resolved', 'Resolved per day', 'Items handled', 'Items per day']}>
      {rows.map((r) => (
        <tr key={r.key ?? 'none'}>
          <th scope="row">{r.label}</th>
          <td>{formatCount(r.open)}</td>
          <td>{formatCount(r.overdue)}</td>
          <td>{formatCount(r.resolved)}</td>
          <td>{formatRate(r.resolvedPerDay)}</td>
          <td>{formatCount(r.itemsHandled)}</td>
          <td>{formatRate(r.itemsPerDay)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

export function InsightsWorkloadPage() {
  const { values, update } = useInsightParams(['from', 'to'] as const);
  const query = { from: values.from || undefined, to: values.to || undefined };
  const workload = useWorkload(query);
  const data = workload.data;
  const csv = apiHref('/workload.csv', { from: query.from ?? data?.range.from, to: query.to ?? data?.range.to });
  const totalOpen = data?.people.reduce((a, p) => a + p.open, 0) ?? 0;
  const totalOverdue = data?.people.reduce((a, p) => a + p.overdue, 0) ?? 0;
  return (
    <Page title="Workload" lead="Who holds which cases, what is overdue, and how much each person and team resolved and handled.">
      <InsightsNav />
      <RangePicker error={workload.error} from={values.from} to={values.to} shown={data?.range} onChange={(r) => update(r)} />
      <QueryStatus query={workload} loading="Loading the workload…" />
      {data ? (
        <>
          <AsOf asOf={data.asOf} pending={data.pending} isRefreshing={workload.isFetching} />
          <p className="hint">
            {formatCount(data.workingDays)} working {data.workingDays === 1 ? 'day' : 'days'} in the range. Open <InsightDefinition term="open" /> · Overdue <InsightDefinition term="overdue" /> · Resolved per day <InsightDefinition term="resolvedPerDay" /> · Items handled <InsightDefinition term="itemsHandled" /> · Items per day <InsightDefinition term="itemsPerDay" />
          </p>
          <section aria-labelledby="insights-people-heading">
            <SectionHeading id="insights-people-heading" title="People">
              <DownloadLink href={csv} what="the workload">Download CSV</DownloadLink>
            </SectionHeading>
            {data.people.length ? (
              <InsightChart
                caption="Open and overdue cases per person"
                summary={`Bar chart of open and overdue cases for ${data.people.length} ${data.people.length === 1 ? 'person' : 'people'}: ${formatCount(totalOpen)} open and ${formatCount(totalOverdue)} overdue in all. ${data.people.slice(0, 10).map((p) => `${p.label}: ${formatCount(p.open)} open, ${formatCount(p.overdue)} overdue`).join('; ')}${data.people.length > 10 ? '; the table lists everyone' : ''}.`}
                data={data.people}
                draw={drawOpenOverdue(data.people)}
                height={data.people.length * 56 + 50}
              />
            ) : null}
            <WorkloadTable id="insights-people" caption="Workload per person" first="Person" rows={data.people} />
            {data.people.length === 0 ? <p>Nobody holds cases or handled items in this range.</p> : null}
          </section>
          <section aria-labelledby="insights-teams-heading">
            <SectionHeading id="insights-teams-heading" title="Teams" />
            <WorkloadTable id="insights-teams" caption="Workload per team" first="Team" rows={data.teams} />
            {data.teams.length === 0 ? <p>No team holds cases.</p> : null}
          </section>
        </>
      ) : null}
    </Page>
  );
}
