// Creating a reply template (its first text is a draft, in the office's language unless another
// is given) or, given a template, changing its name, category and default language; its text
// changes through drafts (TemplateDraftForm).
import { useState } from 'react';
import type { ReplyTemplate } from '../../../contract/templates.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, SelectField, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useSession } from '../session.js';
import { useCategories } from './CaseQueries.js';
import { languageName } from './ReplyQueries.js';
import { TemplateTextFields } from './TemplateDraftForm.js';

export function ReplyTemplateForm({ idPrefix, template, onSaved, onCancel }: { idPrefix: string; template?: ReplyTemplate; onSaved: (t: ReplyTemplate) => void; onCancel: () => void }) {
  const session = useSession();
  const categories = useCategories(false);
  const [name, setName] = useState(template?.name ?? '');
  const [language, setLanguage] = useState(template?.defaultLanguage ?? session.office.locale.split('-')[0]!);
  const [text, setText] = useState({ subject: '', body: '' });
  const [categoryId, setCategoryId] = useState(template?.categoryId ?? '');
  const fields = {
    name: { id: `${idPrefix}-name`, label: 'Name' },
    language: { id: `${idPrefix}-language`, label: 'Language' },
    defaultLanguage: { id: `${idPrefix}-language`, label: 'Default language' },
    subject: { id: `${idPrefix}-subject`, label: 'Subject' },
    body: { id: `${idPrefix}-body`, label: 'Message' },
    categoryId: { id: `${idPrefix}-category`, label: 'Category' },
  };
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () => {
      const common = { name: name.trim(), categoryId: categoryId || null };
      return template
        ? api.patch<ReplyTemplate>(`/api/v1/reply-templates/${template.id}`, { ...common, defaultLanguage: language })
        : api.post<ReplyTemplate>('/api/v1/reply-templates', { ...common, language: language.trim(), subject: text.subject.trim(), body: text.body });
    },
    onSuccess: onSaved,
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={mutation.error} fields={fields} />
      <TextField id={fields.name.id} label="Name" hint="How staff find it in the template picker." value={name} maxLength={120} onChange={(e) => setName(e.target.value)} error={errors.name} />
      {template ? (
        <SelectField id={fields.defaultLanguage.id} label="Default language" hint="Used when the resident's language has no approved text." value={language} onChange={(e) => setLanguage(e.target.value)} error={errors.defaultLanguage}>
          {[...new Set([template.defaultLanguage, ...template.translations.map((t) => t.language)])].map((l) => <option key={l} value={l}>{languageName(l)}</option>)}
        </SelectField>
      ) : (
        <>
          <TextField id={fields.language.id} label="Language" hint="A language tag, such as en for English or es for Spanish. Add translations later." value={language} maxLength={35} onChange={(e) => setLanguage(e.target.value)} error={errors.language} />
          <TemplateTextFields idPrefix={idPrefix} text={text} onChange={setText} errors={errors} />
        </>
      )}
      <SelectField id={fields.categoryId.id} label="Category (optional)" hint="The kind of case it answers." value={categoryId} onChange={(e) => setCategoryId(e.target.value)} error={errors.categoryId}>
        <option value="">Any</option>
        {(categories.data ?? []).map((c) => <option key={c.id} value={c.id}>{c.path.join(' › ')}</option>)}
      </SelectField>
      <FormActions label={template ? 'Save template' : 'Create template'} busyLabel="Saving…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}
