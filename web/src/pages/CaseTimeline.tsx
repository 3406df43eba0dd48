// The case's history, newest first, filterable by kind, with "Load more".
import { useState } from 'react';
import { CASE_TIMELINE_KINDS, type CaseTimelineEntry } from '../../../contract/cases.js';
import { LoadMore } from '../components/LoadMore.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SelectField } from '../components/FormFields.js';
import { formatDateTime } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { SharedBadge } from './CaseNotes.js';
import { caseKeys } from './CaseQueries.js';

/** A note event that left the note shared with the resident (written shared, or shared later). */
const isSharedNote = (e: CaseTimelineEntry) => e.entityType === 'case_note' && (e.after as { isPublic?: unknown } | null)?.isPublic === true;

const KIND_LABELS: Record<(typeof CASE_TIMELINE_KINDS)[number], string> = {
  change: 'Changes', note: 'Notes', message: 'Messages', task: 'Tasks', referral: 'Referrals and releases', access: 'Views of a sensitive case',
};

export function CaseTimeline({ caseId }: { caseId: string }) {
  const [kind, setKind] = useState('');
  const list = useCursorList<CaseTimelineEntry>(caseKeys.timeline(caseId, kind), `/api/v1/cases/${caseId}/timeline`, { kind: kind || undefined, limit: 25 });
  return (
    <section aria-labelledby="case-timeline" className="case-panel case-timeline">
      <h2 id="case-timeline" tabIndex={-1}>Timeline</h2>
      <div className="filters">
        <SelectField id="timeline-kind" label="Show" value={kind} onChange={(e) => setKind(e.target.value)}>
          <option value="">Everything</option>
          {CASE_TIMELINE_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
        </SelectField>
      </div>
      <QueryStatus query={list.query} loading="Loading the timeline…" isEmpty={list.query.isSuccess && list.items.length === 0} empty="Nothing to show yet." />
      {list.items.length ? (
        <ol className="timeline" aria-label="Timeline entries, newest first">
          {list.items.map((e) => (
            <li key={e.id} className={`timeline-${e.kind}`}>
              <p className="timeline-summary">{e.summary}{isSharedNote(e) ? <> <SharedBadge /></> : null}</p>
              <p className="hint">
                {e.actor} · <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt)}</time>
              </p>
            </li>
          ))}
        </ol>
      ) : null}
      <LoadMore noun="entries" {...list.loadMore} />
    </section>
  );
}
