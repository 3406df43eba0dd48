// The headline figures of service performance for the whole office: each with its
// definition, its value and its change against the previous period in words and a sign.
import type { DurationStats, MetricSet, Performance } from '../../../contract/insights.js';
import type { InsightDefinitionKey } from '../../../contract/insights-definitions.js';
import { DataTable } from '../components/DataTable.js';
import { InsightDefinition } from './InsightDefinition.js';
import { changeLabel, describeChange, formatCount, formatDuration, formatScore, formatShare, type Change } from './InsightsFormat.js';

function ChangeText({ change, days }: { change: Change | null; days: number }) {
  const label = changeLabel(change, days);
  return (
    <span className="insights-change">
      {label.sign ? <span aria-hidden="true">{label.sign} </span> : null}
      <span aria-hidden="true">{label.visible}</span>
      <span className="visually-hidden">{label.spoken}</span>
    </span>
  );
}

function Figure({ term, value, detail, change, days }: { term: InsightDefinitionKey; value: string; detail?: string; change: Change | null | undefined; days: number }) {
  const labels: Partial<Record<InsightDefinitionKey, string>> = {
    opened: 'Opened', resolved: 'Resolved', slaCompliance: 'Resolved on time (SLA compliance)', firstResponseSla: 'First response on time',
    reopenRate: 'Reopen rate', satisfaction: 'Satisfaction', automation: 'Handled automatically',
  };
  return (
    <li className="insights-figure">
      <p className="insights-figure-label">{labels[term] ?? term} <InsightDefinition term={term} /></p>
      <p className="insights-figure-value">{value}</p>
      {detail ? <p className="hint">{detail}</p> : null}
      {change !== undefined ? <p className="insights-figure-change"><ChangeText change={change} days={days} /></p> : null}
    </li>
  );
}

const share = (met: number, of: number) => (of > 0 ? met / of : null);

function DurationCell({ now, before, pick, days }: { now: DurationStats; before: DurationStats; pick: 'median' | 'p90'; days: number }) {
  return (
    <td>
      <span className="insights-cell-value">{formatDuration(now[pick])}</span>
      <br />
      <ChangeText change={describeChange(now[pick], before[pick], days)} days={days} />
    </td>
  );
}

function DurationRow({ term, label, now, before, days }: { term: 'firstResponse' | 'resolution'; label: string; now: MetricSet; before: MetricSet; days: number }) {
  const n = now[term];
  const b = before[term];
  return (
    <tr>
      <th scope="row">{label} <InsightDefinition term={term} /></th>
      <DurationCell now={n.business} before={b.business} pick="median" days={days} />
      <DurationCell now={n.business} before={b.business} pick="p90" days={days} />
      <DurationCell now={n.calendar} before={b.calendar} pick="median" days={days} />
      <DurationCell now={n.calendar} before={b.calendar} pick="p90" days={days} />
      <td>{formatCount(n.calendar.count)}</td>
    </tr>
  );
}

export function InsightsHeadline({ data }: { data: Performance }) {
  const row = data.rows[0];
  if (!row) return <p>No figures for this range.</p>;
  const { current: now, previous: before } = row;
  const days = data.previous.days;
  const firstOnTime = share(now.sla.firstResponseMet, now.sla.firstResponseTargets);
  return (
    <section aria-labelledby="insights-headline">
      <h2 id="insights-headline">Headline figures</h2>
      <ul className="insights-figures">
        <Figure term="opened" value={formatCount(now.opened)} change={describeChange(now.opened, before.opened, days)} days={days} />
        <Figure term="resolved" value={formatCount(now.resolved)} change={describeChange(now.resolved, before.resolved, days)} days={days} />
        <Figure term="slaCompliance" value={formatShare(now.sla.compliance)} detail={`${formatCount(now.sla.resolutionMet)} of ${formatCount(now.sla.resolutionTargets)} with a target`}
          change={describeChange(now.sla.compliance, before.sla.compliance, days, 'points')} days={days} />
        <Figure term="firstResponseSla" value={formatShare(firstOnTime)} detail={`${formatCount(now.sla.firstResponseMet)} of ${formatCount(now.sla.firstResponseTargets)} with a target`}
          change={describeChange(firstOnTime, share(before.sla.firstResponseMet, before.sla.firstResponseTargets), days, 'points')} days={days} />
        <Figure term="reopenRate" value={formatShare(now.reopenRate)} detail={`${formatCount(now.reopened)} of ${formatCount(now.resolved)} resolved`}
          change={describeChange(now.reopenRate, before.reopenRate, days, 'points')} days={days} />
        <Figure term="satisfaction" value={formatScore(now.satisfaction.average)} detail={`${formatCount(now.satisfaction.count)} ${now.satisfaction.count === 1 ? 'rating' : 'ratings'}`}
          change={describeChange(now.satisfaction.average, before.satisfaction.average, days, 'difference')} days={days} />
        <Figure term="automation" value={formatShare(data.automation.share)} detail={`${formatCount(data.automation.automatic)} of ${formatCount(data.automation.items)} messages`} change={undefined} days={days} />
      </ul>
      <DataTable id="insights-durations" caption="Time to first response and to resolution" columns={['Measure', 'Median, business time', '90th percentile, business time', 'Median, calendar time', '90th percentile, calendar time', 'Cases measured']}>
        <DurationRow term="firstResponse" label="Time to first response" now={now} before={before} days={days} />
        <DurationRow term="resolution" label="Time to resolution" now={now} before={before} days={days} />
      </DataTable>
      <p className="hint insights-definitions-line">
        Terms: median <InsightDefinition term="median" />, 90th percentile <InsightDefinition term="p90" />, business time <InsightDefinition term="businessTime" />, calendar time <InsightDefinition term="calendarTime" />
      </p>
    </section>
  );
}
