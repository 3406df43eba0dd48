// The version history of one language of a reply template, newest first, with who wrote and
// who approved each; any version can be restored as a new draft (once no draft is open).
import { useMutation } from '@tanstack/react-query';
import type { ReplyTemplate, TemplateVersion } from '../../../contract/templates.js';
import { api } from '../api/client.js';
import { ErrorSummary } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { formatDateTime } from '../format.js';
import { languageName, useTemplateHistory } from './ReplyQueries.js';

const STATUS_LABELS: Record<TemplateVersion['status'], string> = { draft: 'Draft', approved: 'Approved', superseded: 'Superseded', discarded: 'Discarded' };

export function TemplateHistoryDialog({ template, language, canRestore, onRestored, onClose }: {
  template: ReplyTemplate;
  language: string;
  canRestore: boolean;
  onRestored: (t: ReplyTemplate, version: number) => void;
  onClose: () => void;
}) {
  const history = useTemplateHistory(template.id, language);
  const restore = useMutation({
    mutationFn: (version: number) => api.post<ReplyTemplate>(`/api/v1/reply-templates/${template.id}/languages/${language}/versions/${version}/restore`),
    onSuccess: (t, version) => onRestored(t, version),
  });
  const hasDraft = history.data?.some((v) => v.status === 'draft') ?? false;
  return (
    <Modal title={`History of ${template.name}, ${languageName(language)}`} onClose={onClose}>
      <ErrorSummary error={restore.error} />
      <QueryStatus query={history} loading="Loading the history…" isEmpty={history.data?.length === 0} empty="No versions yet." />
      {canRestore && hasDraft ? <p className="hint">Discard or approve the open draft to restore an older version.</p> : null}
      {history.data?.length ? (
        <ol className="card-list" aria-label="Versions, newest first">
          {history.data.map((v) => (
            <li key={v.version} className="card">
              <h3>
                Version {v.version} <span className={`badge template-status-${v.status}`}>{STATUS_LABELS[v.status]}</span>
              </h3>
              <p className="hint">
                Written by {v.createdBy}, <time dateTime={v.createdAt}>{formatDateTime(v.createdAt)}</time>
                {v.approvedAt ? <>; approved by {v.approvedBy}, <time dateTime={v.approvedAt}>{formatDateTime(v.approvedAt)}</time></> : null}
                {v.closedAt ? <>; {v.status} <time dateTime={v.closedAt}>{formatDateTime(v.closedAt)}</time></> : null}
              </p>
              <p><strong>Subject:</strong> {v.subject}</p>
              <pre className="pre-wrap template-body">{v.body}</pre>
              {canRestore && !hasDraft && v.status !== 'draft' ? (
                <button type="button" className="button button-small" onClick={() => restore.mutate(v.version)} disabled={restore.isPending}>
                  Restore as a new draft<span className="visually-hidden"> (version {v.version})</span>
                </button>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      <div className="button-row">
        <button type="button" className="button" onClick={onClose}>Close</button>
      </div>
    </Modal>
  );
}
