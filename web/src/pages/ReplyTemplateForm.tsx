// Creating or editing an approved reply template. The merge fields are listed beside the
// form; the server refuses an unknown or malformed one and names it under the field.
import { useState } from 'react';
import type { ReplyTemplate } from '../../../contract/messages.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useCategories } from './CaseQueries.js';
import { useMergeFields } from './ReplyQueries.js';

export function ReplyTemplateForm({ idPrefix, template, onSaved, onCancel }: { idPrefix: string; template?: ReplyTemplate; onSaved: (t: ReplyTemplate) => void; onCancel: () => void }) {
  const categories = useCategories(false);
  const mergeFields = useMergeFields();
  const [name, setName] = useState(template?.name ?? '');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const [categoryId, setCategoryId] = useState(template?.categoryId ?? '');
  const fields = {
    name: { id: `${idPrefix}-name`, label: 'Name' },
    subject: { id: `${idPrefix}-subject`, label: 'Subject' },
    body: { id: `${idPrefix}-body`, label: 'Message' },
    categoryId: { id: `${idPrefix}-category`, label: 'Category' },
  };
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => {
      const values = { name: name.trim(), subject: subject.trim(), body, categoryId: categoryId || null };
      return template ? api.patch<ReplyTemplate>(`/api/v1/reply-templates/${template.id}`, values) : api.post<ReplyTemplate>('/api/v1/reply-templates', values);
    },
    onSuccess: onSaved,
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={mutation.error} fields={fields} />
      <TextField id={fields.name.id} label="Name" hint="How staff find it in the template picker." value={name} maxLength={120} onChange={(e) => setName(e.target.value)} error={errors.name} />
      <TextField id={fields.subject.id} label="Subject" value={subject} maxLength={300} onChange={(e) => setSubject(e.target.value)} error={errors.subject} />
      <TextAreaField id={fields.body.id} label="Message" rows={10} value={body} onChange={(e) => setBody(e.target.value)} error={errors.body} />
      <SelectField id={fields.categoryId.id} label="Category (optional)" hint="The kind of case it answers." value={categoryId} onChange={(e) => setCategoryId(e.target.value)} error={errors.categoryId}>
        <option value="">Any</option>
        {(categories.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.path.join(' › ')}</option>)}
      </SelectField>
      <details className="merge-fields">
        <summary>Merge fields you can use</summary>
        <dl>
          {(mergeFields.data ?? []).map((f) => (
            <div key={f.name}><dt><code>{`{{${f.name}}}`}</code></dt><dd>{f.description}</dd></div>
          ))}
        </dl>
      </details>
      <FormActions label={template ? 'Save template' : 'Create template'} busyLabel="Saving…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}
