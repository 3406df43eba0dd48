// A line chart of series over periods, each line labelled at its end with its name and drawn
// with its own dash pattern (so lines are told apart without colour), and the table of the
// same numbers: one row per period, one column per series.
import { DataTable } from '../components/DataTable.js';
import { CHART_STYLE, InsightChart, labelRoom, type PlotModule } from './InsightChart.js';
import { formatCount, formatLocalDate } from './InsightsFormat.js';

export type LineSeries = { key: string; label: string; values: (number | null)[] };

const DASHES = ['none', '6,3', '2,3', '10,3,2,3', '1,2', '12,4', '4,4'];
const COLORS = ['#0b4f9c', '#a4161a', '#2b6b2f', '#6f3d91', '#8a5200', '#1d5d6b', '#4a4a4a'];

const toDate = (period: string) => new Date(`${period}T00:00:00Z`);

function draw(periods: string[], series: LineSeries[], yLabel: string) {
  return (Plot: PlotModule, width: number) => {
    const labels = labelRoom(series.map((s) => s.label), width);
    const rows = series.flatMap((s, si) => s.values.map((v, i) => ({ si, label: s.label, date: toDate(periods[i]!), value: v })));
    const last = series.map((s, si) => {
      let i = s.values.length - 1;
      while (i > 0 && s.values[i] === null) i--;
      return { si, label: s.label, date: toDate(periods[i] ?? periods[0]!), value: s.values[i] ?? 0 };
    });
    return Plot.plot({
      width,
      height: 300,
      marginRight: labels.margin,
      style: CHART_STYLE,
      x: { type: 'utc', label: null },
      y: { label: yLabel, grid: true, zero: true },
      marks: [
        ...series.map((_, si) => Plot.line(rows.filter((r) => r.si === si && r.value !== null), {
          x: 'date', y: 'value', stroke: COLORS[si % COLORS.length], strokeWidth: 2, strokeDasharray: DASHES[si % DASHES.length],
        })),
        Plot.dot(rows.filter((r) => r.value !== null), { x: 'date', y: 'value', r: 2, fill: (r: { si: number }) => COLORS[r.si % COLORS.length] }),
        Plot.text(last, { x: 'date', y: 'value', text: (r: { label: string }) => labels.format(r.label), dx: 6, textAnchor: 'start', fill: (r: { si: number }) => COLORS[r.si % COLORS.length] }),
        Plot.ruleY([0]),
      ],
    });
  };
}

export function InsightsLineChart({ id, caption, periods, series, yLabel, firstColumn = 'Period' }: {
  id: string;
  caption: string;
  periods: string[];
  series: LineSeries[];
  yLabel: string;
  firstColumn?: string;
}) {
  if (!periods.length || !series.length) return <p>Nothing to show for this range.</p>;
  const totals = series.map((s) => `${s.label}: ${formatCount(s.values.reduce<number>((a, v) => a + (v ?? 0), 0))}`);
  const summary = `Line chart of ${yLabel.toLowerCase()} from ${formatLocalDate(periods[0]!)} to ${formatLocalDate(periods[periods.length - 1]!)}, ${series.length === 1 ? 'one line' : `${series.length} lines`}. Totals: ${totals.join('; ')}.`;
  return (
    <>
      <InsightChart caption={caption} summary={summary} data={{ periods, series }} draw={draw(periods, series, yLabel)} height={300} />
      <DataTable id={id} caption={`${caption}: the figures`} columns={[firstColumn, ...series.map((s) => s.label)]}>
        {periods.map((p, i) => (
          <tr key={p}>
            <th scope="row" className="nowrap">{formatLocalDate(p)}</th>
            {series.map((s) => <td key={s.key}>{formatCount(s.values[i])}</td>)}
          </tr>
        ))}
      </DataTable>
    </>
  );
}
