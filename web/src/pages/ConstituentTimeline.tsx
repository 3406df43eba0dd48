// Everything that happened to the record, newest first, built from the audit events: edits,
// consent, notes, cases, messages, merges, imports and relationships. Notes are added here.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { TIMELINE_KINDS, ZCreateNote, type Constituent, type TimelineEntry } from '../../../contract/constituents.js';
import { api, validate } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, SelectField, StatusMessage, TextAreaField } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { LoadMore } from '../components/LoadMore.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime, formatJson } from '../format.js';
import { useCursorList } from '../hooks/useCursorList.js';
import { constituentKeys, humanize } from './ConstituentQueries.js';

const KIND_LABELS: Record<(typeof TIMELINE_KINDS)[number], string> = {
  edit: 'Edits', consent: 'Consent', note: 'Notes', case: 'Cases', message: 'Messages', merge: 'Merges', import: 'Imports', relationship: 'Relationships',
};

export function ConstituentTimeline({ c, canWrite }: { c: Constituent; canWrite: boolean }) {
  const [kind, setKind] = useState('');
  const [draftKind, setDraftKind] = useState('');
  const list = useCursorList<TimelineEntry>(constituentKeys.timeline(c.id, kind), `/api/v1/constituents/${c.id}/timeline`, { kind: kind || undefined, limit: 20 });
  function filter(e: FormEvent) {
    e.preventDefault();
    setKind(draftKind);
  }
  return (
    <section aria-labelledby="timeline" className="constituent-section">
      <h2 id="timeline" tabIndex={-1}>Timeline</h2>
      {canWrite ? <NoteForm constituentId={c.id} /> : null}
      <form className="filters" role="search" aria-label="Filter the timeline" onSubmit={filter}>
        <SelectField id="timeline-kind" label="Show" value={draftKind} onChange={(e) => setDraftKind(e.target.value)}>
          <option value="">Everything</option>
          {TIMELINE_KINDS.map((k) => <option key={k} value={k}>{KIND_LABELS[k]}</option>)}
        </SelectField>
        <div className="button-row">
          <button type="submit" className="button">Filter timeline</button>
        </div>
      </form>
      <QueryStatus
        query={list.query}
        loading="Loading timeline…"
        isEmpty={list.query.isSuccess && list.items.length === 0}
        empty={kind ? `Nothing of the kind “${KIND_LABELS[kind as keyof typeof KIND_LABELS]}” yet.` : 'Nothing has happened yet.'}
      />
      {list.items.length ? (
        <ol className="timeline" aria-label={kind ? `Timeline: ${KIND_LABELS[kind as keyof typeof KIND_LABELS]}, newest first` : 'Timeline, newest first'}>
          {list.items.map((entry) => <Entry key={entry.id} entry={entry} />)}
        </ol>
      ) : null}
      <LoadMore noun="timeline entries" {...list.loadMore} />
    </section>
  );
}

function noteBody(entry: TimelineEntry): string | null {
  const after = entry.after as { body?: unknown } | null;
  return entry.kind === 'note' && after && typeof after.body === 'string' ? after.body : null;
}

function Entry({ entry }: { entry: TimelineEntry }) {
  const body = noteBody(entry);
  const hasChanges = !body && (entry.before != null || entry.after != null);
  return (
    <li className={`timeline-entry timeline-${entry.kind}`}>
      <p className="timeline-meta">
        <span className="badge badge-info badge-plain">{KIND_LABELS[entry.kind]}</span>{' '}
        <time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time> · {entry.actor}
      </p>
      {/* A note's summary is its (shortened) text: show the whole note instead. */}
      {body ? <p className="timeline-note">{body}</p> : <p className="timeline-summary">{entry.summary || humanize(entry.action)}</p>}
      {hasChanges ? (
        <details className="changes">
          <summary>
            Show details<span className="visually-hidden"> of “{entry.summary}”, {formatDateTime(entry.occurredAt)}</span>
          </summary>
          <div className="changes-grid">
            <div>
              <p className="changes-label">Before</p>
              <pre>{formatJson(entry.before)}</pre>
            </div>
            <div>
              <p className="changes-label">After</p>
              <pre>{formatJson(entry.after)}</pre>
            </div>
          </div>
        </details>
      ) : null}
    </li>
  );
}

function NoteForm({ constituentId }: { constituentId: string }) {
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [status, setStatus] = useState('');
  const add = useMutation({
    mutationFn: () => api.post(`/api/v1/constituents/${constituentId}/notes`, validate(ZCreateNote, { body })),
    onSuccess: () => {
      setBody('');
      setStatus('Note added to the timeline.');
      void queryClient.invalidateQueries({ queryKey: ['constituents', constituentId, 'timeline'] });
    },
  });
  const errors = fieldErrorsOf(add.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    setStatus('');
    add.mutate();
  }
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="note-heading">
      <h3 id="note-heading">Add a note</h3>
      <ErrorSummary error={add.error} fields={{ body: { id: 'note-body', label: 'Note' } }} />
      <TextAreaField id="note-body" label="Note" hint="Visible to staff only." rows={3} value={body} onChange={(e) => setBody(e.target.value)} error={errors.body} />
      <FormActions label="Add note" busyLabel="Adding…" isBusy={add.isPending} />
      <StatusMessage>{status}</StatusMessage>
    </form>
  );
}
