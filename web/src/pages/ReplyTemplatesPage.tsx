// Reply templates of the office: list (retired ones on request), each with its languages, their
// approved text and open drafts (ReplyTemplateCard); create a template (its text starts as a
// draft). Only approved text is ever sent to residents.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReplyTemplate } from '../../../contract/templates.js';
import { StatusMessage } from '../components/FormFields.js';
import { OpenFormButton } from '../components/OpenFormButton.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { ReplyTemplateCard } from './ReplyTemplateCard.js';
import { ReplyTemplateForm } from './ReplyTemplateForm.js';
import { replyKeys, useReplyTemplates } from './ReplyQueries.js';
import './Templates.css';

export function ReplyTemplatesPage() {
  const queryClient = useQueryClient();
  const [showRetired, setShowRetired] = useState(false);
  const [isCreating, setCreating] = useState(false);
  const [status, setStatus] = useState('');
  const templates = useReplyTemplates(showRetired);
  function changed(message: string) {
    setStatus(message);
    void queryClient.invalidateQueries({ queryKey: replyKeys.allTemplates });
  }
  function created(t: ReplyTemplate) {
    setCreating(false);
    changed(`Template ${t.name} created as a draft.`);
  }
  return (
    <Page title="Reply templates" lead="Replies staff can send from a case, with merge fields filled in for each resident, in each resident's language where a translation is approved. A new or edited text is a draft until someone who may approve templates approves it.">
      <StatusMessage>{status}</StatusMessage>
      {!isCreating ? <OpenFormButton onClick={() => setCreating(true)}>Add a template</OpenFormButton> : (
        <section className="card" aria-labelledby="create-template-heading">
          <h2 id="create-template-heading">Add a template</h2>
          <ReplyTemplateForm idPrefix="new-template" onCancel={() => setCreating(false)} onSaved={created} />
        </section>
      )}
      <label className="check"><input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> Show retired templates</label>
      <QueryStatus query={templates} loading="Loading templates…" isEmpty={templates.data?.length === 0} empty="There are no templates yet." />
      {templates.data?.length ? (
        <ul className="card-list" aria-label="Templates">
          {templates.data.map((t) => <ReplyTemplateCard key={t.id} template={t} onChanged={changed} />)}
        </ul>
      ) : null}
    </Page>
  );
}
