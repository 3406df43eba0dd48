// Backlog by age: open cases now, per breakdown row, stacked by how long ago they were
// opened (each age a colour and a pattern, named in a text legend), and the same in a table.
import { BACKLOG_BUCKETS, type Backlog, type InsightDimension } from '../../../contract/insights.js';
import { DataTable } from '../components/DataTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { CHART_STYLE, InsightChart, labelRoom, type PlotModule } from './InsightChart.js';
import { AsOf, DownloadLink, SectionHeading } from './InsightsControls.js';
import { InsightDefinition } from './InsightDefinition.js';
import { formatCount } from './InsightsFormat.js';
import { addPatterns, patternDef } from './InsightsPatterns.js';
import { apiHref, DIMENSION_COLUMN, useBacklog } from './InsightsQueries.js';

export const BUCKET_LABELS: Record<(typeof BACKLOG_BUCKETS)[number], string> = {
  '0-2d': '0 to 2 days', '3-7d': '3 to 7 days', '8-30d': '8 to 30 days', '31-90d': '31 to 90 days', '90d+': 'Over 90 days',
};

type Row = Backlog['rows'][number];

function drawBacklog(rows: Row[], buckets: Backlog['buckets']) {
  return (Plot: PlotModule, width: number) => {
    const labels = labelRoom(rows.map((r) => r.label), width);
    const segments = buckets.map((_, i) => rows.map((r) => {
      const x1 = r.byAge.slice(0, i).reduce((a, b) => a + b, 0);
      return { label: r.label, x1, x2: x1 + (r.byAge[i] ?? 0) };
    }));
    const chart = Plot.plot({
      width,
      height: rows.length * 44 + 56,
      marginLeft: labels.margin,
      marginRight: 40,
      style: CHART_STYLE,
      x: { label: 'Open cases', grid: true },
      y: { label: null, domain: rows.map((r) => r.label), tickFormat: labels.format },
      marks: [
        ...segments.map((seg, i) => Plot.barX(seg, { x1: 'x1', x2: 'x2', y: 'label', fill: `url(#backlog-pattern-${i})`, stroke: '#0b0c0c', strokeWidth: 0.5 })),
        Plot.text(rows, { x: 'open', y: 'label', text: (r: Row) => formatCount(r.open), dx: 6, textAnchor: 'start' }),
        Plot.ruleX([0]),
      ],
    });
    addPatterns(chart, 'backlog-pattern', buckets.length);
    return chart;
  };
}

function Legend({ buckets }: { buckets: Backlog['buckets'] }) {
  return (
    <ul className="insights-legend" aria-label="Key to the chart">
      {buckets.map((b, i) => (
        <li key={b}>
          <svg width="18" height="18" aria-hidden="true" focusable="false">
            <defs dangerouslySetInnerHTML={{ __html: patternDef(`backlog-swatch-${i}`, i) }} />
            <rect width="18" height="18" fill={`url(#backlog-swatch-${i})`} stroke="#0b0c0c" />
          </svg>
          {BUCKET_LABELS[b]}
        </li>
      ))}
    </ul>
  );
}

export function InsightsBacklog({ by }: { by: InsightDimension }) {
  const backlog = useBacklog(by);
  const data = backlog.data;
  const total = data?.rows.reduce((a, r) => a + r.open, 0) ?? 0;
  const column = DIMENSION_COLUMN[data?.by ?? by];
  return (
    <section aria-labelledby="insights-backlog">
      <SectionHeading id="insights-backlog" title="Backlog by age">
        <DownloadLink href={apiHref('/backlog.csv', { by })} what="the backlog by age">Download CSV</DownloadLink>
      </SectionHeading>
      <p className="hint">Cases open now, by how long ago they were opened. <InsightDefinition term="backlog" /></p>
      <QueryStatus query={backlog} loading="Loading the backlog…" />
      {data ? (
        <>
          <AsOf asOf={data.asOf} isRefreshing={backlog.isFetching} />
          {data.rows.length ? (
            <>
              <InsightChart
                caption={`Open cases by age${data.by === 'none' ? '' : ` and ${column.toLowerCase()}`}`}
                summary={`Stacked bar chart of ${formatCount(total)} open cases by age${data.by === 'none' ? '' : `, one bar per ${column.toLowerCase()}`}. ${data.buckets.map((b, i) => `${BUCKET_LABELS[b]}: ${formatCount(data.rows.reduce((a, r) => a + (r.byAge[i] ?? 0), 0))}`).join('; ')}.`}
                data={data}
                draw={drawBacklog(data.rows, data.buckets)}
                height={data.rows.length * 44 + 56}
              />
              <Legend buckets={data.buckets} />
            </>
          ) : null}
          <DataTable id="insights-backlog-table" caption="Open cases by age" columns={[column, 'Open', ...data.buckets.map((b) => BUCKET_LABELS[b]), 'Overdue']}>
            {data.rows.map((r) => (
              <tr key={r.key ?? 'none'}>
                <th scope="row">{r.label}</th>
                <td>{formatCount(r.open)}</td>
                {data.buckets.map((b, i) => <td key={b}>{formatCount(r.byAge[i] ?? 0)}</td>)}
                <td>{formatCount(r.overdue)}</td>
              </tr>
            ))}
          </DataTable>
          {data.rows.length === 0 ? <p>No open cases.</p> : null}
        </>
      ) : null}
    </section>
  );
}
