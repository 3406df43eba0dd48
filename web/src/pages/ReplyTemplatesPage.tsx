// Approved reply templates of the office: list (retired ones on request), create, edit,
// retire and restore.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReplyTemplate } from '../../../contract/messages.js';
import { api } from '../api/client.js';
import { ErrorSummary, StatusMessage } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { ReplyTemplateForm } from './ReplyTemplateForm.js';
import { replyKeys, useReplyTemplates } from './ReplyQueries.js';

export function ReplyTemplatesPage() {
  const queryClient = useQueryClient();
  const [showRetired, setShowRetired] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const [editing, setEditing] = useState<ReplyTemplate | null>(null);
  const [status, setStatus] = useState('');
  const templates = useReplyTemplates(showRetired);
  const refresh = () => queryClient.invalidateQueries({ queryKey: replyKeys.allTemplates });
  const retire = useMutation({
    mutationFn: (t: ReplyTemplate) => api.patch<ReplyTemplate>(`/api/v1/reply-templates/${t.id}`, { retired: !t.retired }),
    onSuccess: (t) => {
      setStatus(t.retired ? `Template ${t.name} retired.` : `Template ${t.name} restored.`);
      void refresh();
    },
  });
  function saved(t: ReplyTemplate, verb: string) {
    setCreating(false);
    setEditing(null);
    setStatus(`Template ${t.name} ${verb}.`);
    void refresh();
  }
  return (
    <Page title="Reply templates" lead="Approved replies staff can send from a case, with merge fields filled in for each resident.">
      <StatusMessage>{status}</StatusMessage>
      <ErrorSummary error={retire.error} />
      {!isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Add a template</OpenFormButton> : (
        <section className="card" aria-labelledby="create-template-heading">
          <h2 id="create-template-heading">Add a template</h2>
          <ReplyTemplateForm idPrefix="new-template" onCancel={() => setCreating(false)} onSaved={(t) => saved(t, 'created')} />
        </section>
      )}
      <label className="check"><input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> Show retired templates</label>
      <QueryStatus query={templates} loading="Loading templates…" isEmpty={templates.data?.length === 0} empty="There are no templates yet." />
      {templates.data?.length ? (
        <ul className="card-list" aria-label="Templates">
          {templates.data.map((t) => (
            <li key={t.id} className="card">
              <h2>{t.name}{t.retired ? <span className="badge badge-disabled">Retired</span> : null}</h2>
              <p><strong>Subject:</strong> {t.subject}</p>
              <pre className="pre-wrap template-body">{t.body}</pre>
              <div className="button-row">
                <button type="button" className="button button-small" onClick={() => setEditing(t)}>
                  Edit<span className="visually-hidden"> {t.name}</span>
                </button>
                <button type="button" className="button button-small" onClick={() => retire.mutate(t)} disabled={retire.isPending}>
                  {t.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {t.name}</span>
                </button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      {editing ? (
        <Modal title={`Edit template ${editing.name}`} onClose={() => setEditing(null)}>
          <ReplyTemplateForm idPrefix="edit-template" template={editing} onCancel={() => setEditing(null)} onSaved={(t) => saved(t, 'saved')} />
        </Modal>
      ) : null}
    </Page>
  );
}
