// The case's attachments: upload (the file as the raw body through upload(), with a
// progress bar; size checked before sending, type checked by the server from the content),
// the list with downloads, and delete after a confirmation.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { Attachment } from '../../../contract/index.js';
import { api, upload } from '../api/client.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { LoadMore } from '../components/LoadMore.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan } from '../session.js';
import { caseKeys } from './CaseQueries.js';
import { formatBytes, useAttachmentLimits, useAttachments, workKeys } from './CaseWorkQueries.js';
import './CaseWork.css';

export function CaseAttachments({ caseId }: { caseId: string }) {
  const can = useCan();
  const qc = useQueryClient();
  const list = useAttachments(caseId);
  const limits = useAttachmentLimits();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<{ name: string; done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  // The list and the timeline; nothing in the case's header changes with its files.
  const refresh = () => Promise.all([qc.invalidateQueries({ queryKey: workKeys.attachments(caseId) }), qc.invalidateQueries({ queryKey: caseKeys.timelines(caseId) })]);
  const remove = useConfirmedAction({
    mutationFn: (a: Attachment) => api.delete<void>(`/api/v1/cases/${caseId}/attachments/${a.id}`),
    onSuccess: (_r, a) => {
      setNotice(`${a.fileName} deleted.`);
      void refresh();
    },
  });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNotice('');
    const file = input.current?.files?.[0];
    if (!file) return setError(new Error('Choose a file to attach.'));
    const max = limits.data?.maxBytes;
    if (max && file.size > max) return setError(new Error(`${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(max)}.`));
    setProgress({ name: file.name, done: 0, total: file.size });
    try {
      const a = await upload<Attachment>(`/api/v1/cases/${caseId}/attachments`, file, {
        query: { filename: file.name },
        contentType: 'application/octet-stream',
        onProgress: (done) => setProgress({ name: file.name, done, total: file.size }),
      });
      setNotice(`${a.fileName} attached.`);
      if (input.current) input.current.value = '';
      void refresh();
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const { items } = list;
  const percent = progress && progress.total ? Math.floor((progress.done / progress.total) * 100) : 0;
  return (
    <section aria-labelledby="case-attachments" className="case-panel case-work">
      <h2 id="case-attachments">Attachments</h2>
      <StatusMessage>{notice}</StatusMessage>
      {can('case.write') ? (
        <form onSubmit={submit} className="attachment-upload" noValidate>
          <ErrorSummary error={error} />
          <div className="field">
            <label htmlFor="attachment-file">File to attach</label>
            <p id="attachment-file-hint" className="hint">
              {limits.data ? `${limits.data.kinds}; at most ${formatBytes(limits.data.maxBytes)}.` : 'Documents, images, text or email.'}
            </p>
            <input id="attachment-file" type="file" ref={input} aria-describedby="attachment-file-hint" disabled={progress !== null} />
          </div>
          {progress ? (
            <div className="upload-progress">
              <label htmlFor="attachment-progress">Uploading {progress.name}</label>
              <progress id="attachment-progress" max={progress.total || 1} value={progress.done} />
              <p role="status">{Math.floor(percent / 10) * 10}% uploaded</p>
            </div>
          ) : null}
          <div className="button-row">
            <button type="submit" className="button" disabled={progress !== null}>{progress ? 'Uploading…' : 'Attach file'}</button>
          </div>
        </form>
      ) : null}
      <QueryStatus query={list.query} loading="Loading attachments…" isEmpty={list.query.isSuccess && items.length === 0} empty="No files attached yet." />
      {items.length ? (
        <ul className="work-list" aria-label="Attached files, newest first">
          {items.map((a) => (
            <li key={a.id}>
              <a href={`/api/v1/cases/${caseId}/attachments/${a.id}`} download={a.fileName}>{a.fileName}</a>
              <span className="hint"> · {formatBytes(a.size)} · {a.uploadedBy} · <time dateTime={a.createdAt}>{formatDateTime(a.createdAt)}</time></span>
              {can('case.write') ? (
                <button type="button" className="button button-link" onClick={() => remove.ask(a)}>
                  Delete<span className="visually-hidden"> {a.fileName}</span>
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      <LoadMore noun="attachments" {...list.loadMore} />
      {remove.target ? (
        <ConfirmDialog title="Delete this attachment?" confirmLabel="Delete" isDanger {...remove.confirmProps}>
          <p>{remove.target.fileName} will be removed from the case. The deletion is recorded in the case history.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
