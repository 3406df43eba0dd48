// Writing the draft of one language of a reply template (or a new translation, with its
// language): saving never changes the approved text, which changes only when someone who may
// approve approves the draft. The server refuses an unknown or malformed merge field and names
// it under the field; the merge fields are listed below the form.
import { useState } from 'react';
import { ZTemplateLanguageParams, type ReplyTemplate } from '../../../contract/templates.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextAreaField, TextField } from '../components/FormFields.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useMergeFields } from './ReplyQueries.js';

type Text = { subject: string; body: string };

/** A template text's subject and message, with the merge fields it may use listed below. */
export function TemplateTextFields({ idPrefix, text, onChange, errors }: { idPrefix: string; text: Text; onChange: (t: Text) => void; errors: Record<string, string | undefined> }) {
  const mergeFields = useMergeFields();
  return (
    <>
      <TextField id={`${idPrefix}-subject`} label="Subject" value={text.subject} maxLength={300} onChange={(e) => onChange({ ...text, subject: e.target.value })} error={errors.subject} />
      <TextAreaField id={`${idPrefix}-body`} label="Message" rows={10} value={text.body} onChange={(e) => onChange({ ...text, body: e.target.value })} error={errors.body} />
      <details className="merge-fields">
        <summary>Merge fields you can use</summary>
        <dl>
          {(mergeFields.data ?? []).map((f) => (
            <div key={f.name}><dt><code>{`{{${f.name}}}`}</code></dt><dd>{f.description}</dd></div>
          ))}
        </dl>
      </details>
      <p className="hint">Saved as a draft: residents get it only once someone who may approve templates approves it.</p>
    </>
  );
}

/** `language` unset: a new translation, whose language is asked for. `start`: the text the draft starts from. */
export function TemplateDraftForm({ idPrefix, template, language, start, onSaved, onCancel }: {
  idPrefix: string;
  template: ReplyTemplate;
  language?: string;
  start?: Text;
  onSaved: (t: ReplyTemplate, language: string) => void;
  onCancel: () => void;
}) {
  const [tag, setTag] = useState(language ?? '');
  const [text, setText] = useState<Text>(start ?? { subject: '', body: '' });
  const fields = {
    language: { id: `${idPrefix}-language`, label: 'Language' },
    subject: { id: `${idPrefix}-subject`, label: 'Subject' },
    body: { id: `${idPrefix}-body`, label: 'Message' },
  };
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: async () => {
      // Checked here too: the language is part of the address.
      const { language: checked } = validate(ZTemplateLanguageParams.pick({ language: true }), { language: tag });
      const saved = await api.put<ReplyTemplate>(`/api/v1/reply-templates/${template.id}/languages/${encodeURIComponent(checked)}/draft`, { subject: text.subject.trim(), body: text.body });
      return { saved, language: checked };
    },
    onSuccess: ({ saved, language: done }) => onSaved(saved, done),
  });
  return (
    <form className="form" onSubmit={submit} noValidate>
      <ErrorSummary error={mutation.error} fields={fields} />
      {language ? null : (
        <TextField id={fields.language.id} label="Language" hint="A language tag, such as es for Spanish or cy for Welsh." value={tag} maxLength={35} onChange={(e) => setTag(e.target.value)} error={errors.language} />
      )}
      <TemplateTextFields idPrefix={idPrefix} text={text} onChange={setText} errors={errors} />
      <FormActions label="Save draft" busyLabel="Saving…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}
