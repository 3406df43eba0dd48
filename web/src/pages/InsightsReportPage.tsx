// The weekly report: whether it is emailed, on which office-local weekday and hour, to which
// extra addresses besides the office's managers and admins, and this week's report as a PDF.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ZUpdateReportSchedule, type ReportSchedule } from '../../../contract/insights.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, errorAt, fieldTargets, SelectField, StatusMessage, TextAreaField } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useSession } from '../session.js';
import { formatRange } from './InsightsFormat.js';
import { addDays, apiHref, INSIGHTS_API, insightKeys, useOfficeToday } from './InsightsQueries.js';
import './Insights.css';

const FIELDS = fieldTargets('report', { weekday: 'Day', hour: 'Time', extraRecipients: 'Other recipients' });
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hourLabel = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
const hourText = (h: number) => hourLabel.format(new Date(Date.UTC(2026, 0, 5, h)));

/** Monday of the office-local week holding a date (ISO weeks start on Monday). */
function mondayOf(date: string): string {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

type Draft = { enabled: boolean; weekday: string; hour: string; extraRecipients: string };

export function InsightsReportPage() {
  const client = useQueryClient();
  const session = useSession();
  const today = useOfficeToday();
  const week = { from: mondayOf(today), to: today };
  const schedule = useQuery({ queryKey: insightKeys.reportSchedule, queryFn: () => api.get<ReportSchedule>(`${INSIGHTS_API}/report-schedule`) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [isSaved, setSaved] = useState(false);
  useEffect(() => {
    const s = schedule.data;
    if (s) setDraft({ enabled: s.enabled, weekday: String(s.weekday), hour: String(s.hour), extraRecipients: s.extraRecipients.join('\n') });
  }, [schedule.data]);
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const d = draft!;
      const body = validate(ZUpdateReportSchedule, {
        enabled: d.enabled,
        weekday: Number(d.weekday),
        hour: Number(d.hour),
        extraRecipients: d.extraRecipients.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean),
      });
      return api.put<ReportSchedule>(`${INSIGHTS_API}/report-schedule`, body);
    },
    onMutate: () => setSaved(false),
    onSuccess: (saved) => {
      client.setQueryData(insightKeys.reportSchedule, saved);
      setSaved(true);
    },
  });
  const edit = (change: Partial<Draft>) => setDraft((d) => (d ? { ...d, ...change } : d));
  const s = schedule.data;
  return (
    <Page title="Weekly report" lead="A PDF of the week's service performance, emailed to the office's managers and admins.">
      <p>
        <a className="button" href={apiHref('/report.pdf', week)} download>
          Download this week's PDF<span className="visually-hidden"> ({formatRange(week)})</span>
        </a>
      </p>
      <QueryStatus query={schedule} loading="Loading the schedule…" />
      {s ? <p className="hint">{s.lastSentAt ? `Last sent ${formatDateTime(s.lastSentAt)}${s.lastSentWeek ? ` (week ${s.lastSentWeek})` : ''}.` : 'Not sent yet.'}</p> : null}
      {draft ? (
        <form className="form card" onSubmit={submit} noValidate aria-labelledby="report-heading">
          <h2 id="report-heading">Schedule</h2>
          <ErrorSummary error={save.error} fields={FIELDS} />
          <p>
            <label className="check">
              <input type="checkbox" checked={draft.enabled} onChange={(e) => edit({ enabled: e.target.checked })} /> Email the weekly report
            </label>
          </p>
          <SelectField id={FIELDS.weekday.id} label="Day" value={draft.weekday} onChange={(e) => edit({ weekday: e.target.value })} error={errors.weekday}>
            {WEEKDAYS.map((name, i) => <option key={name} value={String(i + 1)}>{name}</option>)}
          </SelectField>
          <SelectField id={FIELDS.hour.id} label="Time" hint={`Office time (${session.office.timeZone}).`} value={draft.hour} onChange={(e) => edit({ hour: e.target.value })} error={errors.hour}>
            {Array.from({ length: 24 }, (_, h) => <option key={h} value={String(h)}>{hourText(h)}</option>)}
          </SelectField>
          <TextAreaField id={FIELDS.extraRecipients.id} label="Other recipients" rows={4} value={draft.extraRecipients}
            hint="Email addresses besides the managers and admins, one per line (at most 50)."
            onChange={(e) => edit({ extraRecipients: e.target.value })} error={errorAt(errors, 'extraRecipients')} />
          <FormActions label="Save schedule" busyLabel="Saving…" isBusy={save.isPending} />
          {isSaved ? <StatusMessage>Schedule saved.</StatusMessage> : null}
        </form>
      ) : null}
    </Page>
  );
}
