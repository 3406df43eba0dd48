// The SLA clock in the case header: when the first response and the resolution are due,
// whether the clock is paused, and whether a target was breached. Shown only when the
// server sends the case's SLA state.
import type { CaseSla } from '../../../contract/sla.js';
import { formatDateTime } from '../format.js';

function dueText(dueAt: string | null, doneAt: string | null, breachedAt: string | null, now: number): { text: string; tone: string } {
  if (!dueAt) return { text: 'No target', tone: '' };
  if (doneAt) return { text: `Met ${formatDateTime(doneAt)} (due ${formatDateTime(dueAt)})`, tone: 'sla-ok' };
  if (breachedAt || Date.parse(dueAt) < now) return { text: `Breached: was due ${formatDateTime(dueAt)}`, tone: 'sla-breached' };
  return { text: `Due ${formatDateTime(dueAt)}`, tone: '' };
}

export function CaseSlaClock({ sla, isResolved }: { sla: CaseSla; isResolved: boolean }) {
  const now = Date.now();
  const first = dueText(sla.firstResponseDueAt, sla.firstRespondedAt, sla.firstResponseBreachedAt, now);
  const resolution = isResolved ? { text: 'Resolved', tone: 'sla-ok' } : dueText(sla.resolutionDueAt, null, sla.resolutionBreachedAt, now);
  return (
    <section aria-labelledby="case-sla" className="case-sla">
      <h2 id="case-sla" className="visually-hidden">Service level</h2>
      <dl className="facts">
        <div>
          <dt>First response</dt>
          <dd className={first.tone}>{first.text}</dd>
        </div>
        <div>
          <dt>Resolution</dt>
          <dd className={resolution.tone}>
            {resolution.text}
            {sla.pausedAt ? <span className="badge badge-paused">Paused since {formatDateTime(sla.pausedAt)}</span> : null}
          </dd>
        </div>
        {sla.pausedMinutes > 0 ? (
          <div>
            <dt>Time paused</dt>
            <dd>{Math.round(sla.pausedMinutes / 6) / 10} hours</dd>
          </div>
        ) : null}
      </dl>
    </section>
  );
}
