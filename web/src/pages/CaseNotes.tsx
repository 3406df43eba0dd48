// Notes on the case: the composer with @mentions and "Share with the resident" (a shared note
// shows on the portal's tracking page and the requester is told; never on a sensitive case),
// the notes newest first with mentions shown as names and shared ones marked by a text badge,
// editing your own internal note within the window, withdrawing a shared note, deleting.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState, type FormEvent, type ReactNode } from 'react';
import { MENTION_PATTERN, NOTE_EDIT_WINDOW_MINUTES, type CaseNote } from '../../../contract/case-work.js';
import { api } from '../api/client.js';
import { ErrorSummary, fieldErrorsOf, FieldError, StatusMessage } from '../components/FormFields.js';
import { LoadMore } from '../components/LoadMore.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan, useSession } from '../session.js';
import { caseKeys } from './CaseQueries.js';
import { useCaseNotes, useCaseStaff, workKeys } from './CaseWorkQueries.js';
import { MentionComposer } from './MentionComposer.js';
import './CaseWork.css';

/** The note's text with each mention token shown as a highlighted @Name. */
function renderBody(body: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const m of body.matchAll(new RegExp(MENTION_PATTERN.source, 'g'))) {
    out.push(<Fragment key={`t${last}`}>{body.slice(last, m.index)}</Fragment>, <strong key={`m${m.index}`} className="mention">@{m[1]}</strong>);
    last = m.index + m[0].length;
  }
  out.push(<Fragment key="end">{body.slice(last)}</Fragment>);
  return out;
}

/** A text badge (not colour alone) on a note shared with the resident. */
export const SharedBadge = () => <span className="badge badge-info badge-plain">Shared with the resident</span>;

type NoteFormProps = { caseId: string; note?: CaseNote; canShare?: boolean; onDone: (n: CaseNote) => void; onCancel?: () => void };

function NoteForm({ caseId, note, canShare = false, onDone, onCancel }: NoteFormProps) {
  const staff = useCaseStaff(caseId);
  const [body, setBody] = useState(note?.body ?? '');
  const [isPublic, setPublic] = useState(false);
  const fieldId = note ? `note-edit-${note.id}` : 'note-body';
  const save = useMutation({
    mutationFn: () => (note ? api.patch<CaseNote>(`/api/v1/cases/${caseId}/notes/${note.id}`, { body }) : api.post<CaseNote>(`/api/v1/cases/${caseId}/notes`, { body, isPublic })),
    onSuccess: (n) => {
      if (!note) {
        setBody('');
        setPublic(false);
      }
      onDone(n);
    },
  });
  const error = fieldErrorsOf(save.error).body;
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <form onSubmit={submit} className="note-form" noValidate>
      <ErrorSummary error={save.error} fields={{ body: { id: fieldId, label: 'Note' }, isPublic: { id: 'note-public', label: 'Share with the resident' } }} />
      <div className={error ? 'field field-invalid' : 'field'}>
        <label htmlFor={fieldId}>{note ? 'Edit the note' : 'Add a note'}</label>
        <p id={`${fieldId}-hint`} className="hint">Only staff see notes unless you share one with the resident. Type @ and a name to mention a colleague; they will be notified.</p>
        {error ? <FieldError id={`${fieldId}-error`}>{error}</FieldError> : null}
        <MentionComposer id={fieldId} value={body} onChange={setBody} staff={staff.data ?? []} describedBy={`${fieldId}-hint${error ? ` ${fieldId}-error` : ''}`} invalid={Boolean(error)} />
      </div>
      {!note && canShare ? (
        <div className="field">
          <label className="check">
            <input type="checkbox" id="note-public" checked={isPublic} onChange={(e) => setPublic(e.target.checked)} aria-describedby="note-public-hint" /> Share with the resident
          </label>
          <p id="note-public-hint" className="hint">The note shows on their tracking page and they are told by email or text. It cannot be edited once shared.</p>
        </div>
      ) : null}
      <div className="button-row">
        <button type="submit" className="button" disabled={save.isPending}>{save.isPending ? 'Saving…' : note ? 'Save note' : 'Add note'}</button>
        {onCancel ? <button type="button" className="button button-link" onClick={onCancel}>Cancel</button> : null}
      </div>
    </form>
  );
}

export function CaseNotes({ caseId, isSensitive = false }: { caseId: string; isSensitive?: boolean }) {
  const can = useCan();
  const me = useSession().user.id;
  const qc = useQueryClient();
  const notes = useCaseNotes(caseId);
  const [editing, setEditing] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  // The notes and the timeline; nothing in the case's header changes with a note.
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: workKeys.notes(caseId) }), qc.invalidateQueries({ queryKey: caseKeys.timelines(caseId) })]);
  const remove = useConfirmedAction({
    mutationFn: (n: CaseNote) => api.delete<void>(`/api/v1/cases/${caseId}/notes/${n.id}`),
    onSuccess: () => {
      setNotice('Note deleted.');
      void refresh();
    },
  });
  const share = useMutation({
    mutationFn: ({ n, isPublic }: { n: CaseNote; isPublic: boolean }) => api.put<CaseNote>(`/api/v1/cases/${caseId}/notes/${n.id}/sharing`, { isPublic }),
    onSuccess: (n) => {
      setNotice(n.isPublic ? 'Note shared with the resident.' : 'Note withdrawn: the resident no longer sees it.');
      void refresh();
    },
  });
  const { items } = notes;
  return (
    <section aria-labelledby="case-notes" className="case-panel case-work">
      <h2 id="case-notes">Notes</h2>
      <StatusMessage>{notice}</StatusMessage>
      {share.error ? <ErrorSummary error={share.error} /> : null}
      {can('case.write') ? (
        <NoteForm caseId={caseId} canShare={!isSensitive} onDone={(n) => {
          const shared = n.isPublic ? ' and shared with the resident' : '';
          setNotice(n.mentions.length ? `Note added${shared}; ${n.mentions.map((m) => m.displayName).join(', ')} notified.` : `Note added${shared}.`);
          void refresh();
        }} />
      ) : null}
      <QueryStatus query={notes.query} loading="Loading notes…" isEmpty={notes.query.isSuccess && items.length === 0} empty="No notes yet." />
      {items.length ? (
        <ol className="work-list note-list" aria-label="Notes, newest first">
          {items.map((n) => (
            <li key={n.id}>
              <p className="hint">
                {n.author} · <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>{n.editedAt ? ' · edited' : ''}
                {n.isPublic ? <> <SharedBadge /></> : null}
              </p>
              {editing === n.id ? (
                <NoteForm caseId={caseId} note={n} onCancel={() => setEditing(null)} onDone={() => { setEditing(null); setNotice('Note saved.'); void refresh(); }} />
              ) : (
                <p className="pre-wrap">{renderBody(n.body)}</p>
              )}
              {can('case.write') && editing !== n.id ? (
                <div className="button-row">
                  {n.canEdit ? (
                    <button type="button" className="button button-link" onClick={() => setEditing(n.id)} title={`You can edit your note for ${NOTE_EDIT_WINDOW_MINUTES} minutes`}>
                      Edit<span className="visually-hidden"> your note of {formatDateTime(n.createdAt)}</span>
                    </button>
                  ) : null}
                  {(n.authorId === me || can('casework.configure')) && (n.isPublic || !isSensitive) ? (
                    <button type="button" className="button button-link" disabled={share.isPending} onClick={() => share.mutate({ n, isPublic: !n.isPublic })}>
                      {n.isPublic ? 'Withdraw from the resident' : 'Share with the resident'}<span className="visually-hidden">: the note by {n.author} of {formatDateTime(n.createdAt)}</span>
                    </button>
                  ) : null}
                  {n.authorId === me || can('casework.configure') ? (
                    <button type="button" className="button button-link" onClick={() => remove.ask(n)}>
                      Delete<span className="visually-hidden"> the note by {n.author} of {formatDateTime(n.createdAt)}</span>
                    </button>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      <LoadMore noun="notes" {...notes.loadMore} />
      {remove.target ? (
        <ConfirmDialog title="Delete this note?" confirmLabel="Delete" isDanger {...remove.confirmProps}>
          <p>The note will be removed from the case. The deletion is recorded in the case history.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
