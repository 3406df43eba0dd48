// The case's attachments: upload (the file as the raw body through XMLHttpRequest, for a
// progress bar; size checked before sending, type checked by the server from the content),
// the list with downloads, and delete after a confirmation.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type { Attachment, Problem } from '../../../contract/index.js';
import { api, ApiError } from '../api/client.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { ConfirmDialog } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan, useSession } from '../session.js';
import { formatBytes, useAttachmentLimits, useAttachments } from './CaseWorkQueries.js';
import './CaseWork.css';

function problemOf(xhr: XMLHttpRequest): Problem {
  try {
    const body = JSON.parse(xhr.responseText) as Partial<Problem>;
    if (typeof body.detail === 'string') return { type: body.type ?? 'about:blank', title: body.title ?? 'Upload failed', status: xhr.status, code: body.code ?? 'unknown', detail: body.detail };
  } catch {
    // not JSON: fall through
  }
  return { type: 'about:blank', title: 'Upload failed', status: xhr.status, code: 'http_error', detail: xhr.status ? `The server answered ${xhr.status}` : 'The upload did not complete. Check your connection and try again.' };
}

function uploadFile(caseId: string, file: File, csrf: string | null, onProgress: (done: number) => void): Promise<Attachment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/cases/${caseId}/attachments?filename=${encodeURIComponent(file.name)}`);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(JSON.parse(xhr.responseText) as Attachment) : reject(new ApiError(problemOf(xhr))));
    xhr.onerror = () => reject(new ApiError(problemOf(xhr)));
    xhr.send(file);
  });
}

export function CaseAttachments({ caseId }: { caseId: string }) {
  const can = useCan();
  const session = useSession();
  const qc = useQueryClient();
  const list = useAttachments(caseId);
  const limits = useAttachmentLimits();
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<{ name: string; done: number; total: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState('');
  const remove = useConfirmedAction({
    mutationFn: (a: Attachment) => api.delete<void>(`/api/v1/cases/${caseId}/attachments/${a.id}`),
    onSuccess: (_r, a) => {
      setNotice(`${a.fileName} deleted.`);
      void qc.invalidateQueries({ queryKey: ['cases', caseId] });
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
      const a = await uploadFile(caseId, file, session.csrfToken, (done) => setProgress({ name: file.name, done, total: file.size }));
      setNotice(`${a.fileName} attached.`);
      if (input.current) input.current.value = '';
      void qc.invalidateQueries({ queryKey: ['cases', caseId] });
    } catch (err) {
      setError(err);
    } finally {
      setProgress(null);
    }
  }

  const items = list.data ?? [];
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
      <QueryStatus query={list} loading="Loading attachments…" isEmpty={list.isSuccess && items.length === 0} empty="No files attached yet." />
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
      {remove.target ? (
        <ConfirmDialog title="Delete this attachment?" confirmLabel="Delete" isDanger {...remove.confirmProps}>
          <p>{remove.target.fileName} will be removed from the case. The deletion is recorded in the case history.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
