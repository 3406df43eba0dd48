// The controls every insights page shares: the navigation between the dashboards, the date
// range (two dates and presets, kept in the URL), download links and "figures as of".
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { fieldErrorsOf, TextField } from '../components/FormFields.js';
import { useCan } from '../session.js';
import { formatRange, formatTime } from './InsightsFormat.js';
import { presetRange, RANGE_PRESETS, useOfficeToday } from './InsightsQueries.js';
import type { Pending, ResolvedRange } from '../../../contract/insights.js';
import { pendingNote } from '../../../contract/insights-definitions.js';
import './Insights.css';

const PAGES = [
  { to: '/insights', label: 'Performance' },
  { to: '/insights/trends', label: 'Trends' },
  { to: '/insights/workload', label: 'Workload' },
  { to: '/insights/emerging', label: 'Emerging issues' },
  { to: '/insights/map', label: 'Map' },
] as const;

/** The tabs between the insights dashboards (links; the current one is marked). */
export function InsightsNav() {
  const { pathname } = useLocation();
  const can = useCan();
  const current = [...PAGES].reverse().find((p) => pathname === p.to || pathname.startsWith(`${p.to}/`));
  return (
    <nav aria-label="Insights dashboards" className="view-tabs insights-tabs">
      <ul>
        {PAGES.map((p) => <li key={p.to}><Link to={p.to} aria-current={current?.to === p.to ? 'page' : undefined}>{p.label}</Link></li>)}
        {can('insights.manage') ? <li><Link to="/admin/insights-report">Weekly report</Link></li> : null}
      </ul>
    </nav>
  );
}

/**
 * From and to dates with presets. `from`/`to` are the URL's values (empty: the server's
 * default, the last 30 days); `shown` is the range the figures are for.
 */
export function RangePicker({ from, to, shown, onChange, error, children }: {
  from: string;
  to: string;
  shown: ResolvedRange | undefined;
  onChange: (range: { from: string; to: string }) => void;
  /** The figures' error: a refused range is shown beside its field. */
  error?: unknown;
  children?: ReactNode;
}) {
  const errors = fieldErrorsOf(error);
  const today = useOfficeToday();
  const [draft, setDraft] = useState({ from, to });
  useEffect(() => setDraft({ from: from || (shown?.from ?? ''), to: to || (shown?.to ?? '') }), [from, to, shown?.from, shown?.to]);
  const applied = { from: from || shown?.from, to: to || shown?.to };
  function submit(e: FormEvent) {
    e.preventDefault();
    onChange(draft);
  }
  return (
    <form className="filters insights-range" aria-label="Date range" onSubmit={submit} noValidate>
      <div className="insights-presets" role="group" aria-labelledby="insights-presets-label">
        <span id="insights-presets-label" className="insights-presets-label">Quick ranges</span>
        {RANGE_PRESETS.map((p) => {
          const r = presetRange(p.key, today);
          const isCurrent = applied.from === r.from && applied.to === r.to;
          return (
            <button key={p.key} type="button" className="button button-small" aria-pressed={isCurrent} onClick={() => onChange(r)}>
              {p.label}
            </button>
          );
        })}
      </div>
      <TextField id="insights-from" label="From" type="date" value={draft.from} max={today} error={errors.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} />
      <TextField id="insights-to" label="To" type="date" value={draft.to} max={today} error={errors.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} />
      {children}
      <div className="button-row">
        <button type="submit" className="button">Show</button>
      </div>
      <p className="hint insights-range-shown" role="status">
        {shown ? `Showing ${formatRange(shown)} (${shown.days} ${shown.days === 1 ? 'day' : 'days'}, ${shown.timeZone} time).` : ''}
      </p>
    </form>
  );
}

/**
 * "Figures as of 14:05", with "approximate" when the server says the durations are, and a
 * warning when the summaries have not counted everything yet (a backlog or a rebuild).
 */
export function AsOf({ asOf, pending, isApproximate = false, isRefreshing = false }: { asOf: string; pending?: Pending; isApproximate?: boolean; isRefreshing?: boolean }) {
  const note = pending ? pendingNote(pending) : null;
  return (
    <>
      <p className="hint insights-as-of">
        Figures as of {formatTime(asOf)}.
        {isApproximate ? ' Durations are approximate (read from histograms, within 1%).' : ''}
        {isRefreshing ? ' Updating…' : ''}
      </p>
      {note ? <p className="insights-pending" role="status">{note}</p> : null}
    </>
  );
}

/** A download link of a chart's data, named by what it downloads. */
export function DownloadLink({ href, children, what }: { href: string; children: ReactNode; what: string }) {
  return (
    <a className="button button-small" href={href} download>
      {children}<span className="visually-hidden"> of {what}</span>
    </a>
  );
}

/** A section's heading with its download links beside it. */
export function SectionHeading({ id, title, children }: { id: string; title: string; children?: ReactNode }) {
  return (
    <div className="insights-section-heading">
      <h2 id={id}>{title}</h2>
      {children ? <div className="button-row">{children}</div> : null}
    </div>
  );
}
