// Settings: the public request form — whether it is live (it is off until turned on; while
// off its address answers "not found"), which categories it offers, and where it is: its
// address, and a snippet that embeds it in the office's own website.
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ZPublicFormSettings, type PublicFormSettings } from '../../../contract/web-intake.js';
import { api, validate } from '../api/client.js';
import { CopyText } from '../components/CopyText.js';
import { FormActions } from '../components/FormActions.js';
import { errorAt, ErrorSummary, FieldError, StatusMessage } from '../components/FormFields.js';
import { Page } from '../components/Page.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { useSession } from '../session.js';
import { categoryLabel, useCategories } from './CaseQueries.js';
import { intakeKeys, serverOrigin, usePublicForm } from './IntakeQueries.js';

// An empty choice would offer no topic at all: say so rather than save it.
const ZSettingsForm = ZPublicFormSettings.refine((s) => !s.categoryIds || s.categoryIds.length > 0, {
  path: ['categoryIds'], message: 'choose at least one category, or offer every current one',
});

export function PublicFormPage() {
  const { office } = useSession();
  const settings = usePublicForm();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState('');
  const url = `${serverOrigin()}/forms/${office.slug}`;
  const snippet = `<iframe src="${url}" title="Make a request to ${office.name.replace(/"/g, '&quot;')}" style="width: 100%; min-height: 60rem; border: 0" loading="lazy"></iframe>`;
  return (
    <Page title="Public web form" lead="Residents send requests from a web page that works on any phone, with or without JavaScript, or from the same form embedded in the office's own website.">
      <StatusMessage>{status}</StatusMessage>
      <QueryStatus query={settings} loading="Loading the form's settings…" />
      {settings.data ? (
        <SettingsForm
          key={JSON.stringify(settings.data)}
          settings={settings.data}
          onSaved={(s) => {
            queryClient.setQueryData(intakeKeys.publicForm, s);
            setStatus(s.enabled ? `The public form is on, at ${url}.` : 'The public form is off: its address answers “not found”.');
          }}
        />
      ) : null}
      <section aria-labelledby="public-form-where-heading">
        <h2 id="public-form-where-heading">Where residents find it</h2>
        {settings.data && !settings.data.enabled ? <p className="confirm-box">The form is off: these addresses answer “not found” until you turn it on.</p> : null}
        <p>
          <a href={url}>Open the public form</a>
        </p>
        <CopyText label="Form address" value={url} />
        <CopyText label="Embed snippet" value={snippet} isBlock />
        <p className="hint">
          Forms of your own can post JSON to <code>/api/v1/public/{office.slug}/requests</code>, with the token from <code>/api/v1/public/{office.slug}/categories</code>.
        </p>
      </section>
    </Page>
  );
}

function SettingsForm({ settings, onSaved }: { settings: PublicFormSettings; onSaved: (s: PublicFormSettings) => void }) {
  const categories = useCategories(false);
  const [enabled, setEnabled] = useState(settings.enabled);
  const [isChosen, setChosen] = useState(settings.categoryIds !== null);
  const [chosen, setChosenIds] = useState<string[]>(settings.categoryIds ?? []);
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => api.put<PublicFormSettings>('/api/v1/intake/public-form', validate(ZSettingsForm, { enabled, categoryIds: isChosen ? offered() : null })),
    onSuccess: onSaved,
  });
  const categoryError = errorAt(errors, 'categoryIds');
  const items = categories.data ?? [];
  // A chosen category retired since is no longer listed, so it could not be unticked: leave it out.
  function offered() {
    return categories.data ? chosen.filter((id) => items.some((c) => c.id === id)) : chosen;
  }
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="public-form-settings-heading">
      <h2 id="public-form-settings-heading">Settings</h2>
      <ErrorSummary error={save.error} fields={{ categoryIds: { id: 'public-form-categories-all', label: 'Categories offered' } }} />
      <p>
        <label className="check">
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Accept requests through the public form
        </label>
      </p>
      <fieldset id="public-form-categories" className={categoryError ? 'field field-invalid' : 'field'} aria-describedby={categoryError ? 'public-form-categories-error' : undefined}>
        <legend>Categories offered</legend>
        {categoryError ? <FieldError id="public-form-categories-error">{categoryError}</FieldError> : null}
        <p>
          <label className="check">
            <input id="public-form-categories-all" type="radio" name="public-form-categories" checked={!isChosen} onChange={() => setChosen(false)} /> Every current category
          </label>
        </p>
        <p>
          <label className="check">
            <input type="radio" name="public-form-categories" checked={isChosen} onChange={() => setChosen(true)} /> Only the categories chosen here
          </label>
        </p>
        {isChosen ? (
          <div className="checkbox-grid">
            <QueryStatus query={categories} loading="Loading categories…" isEmpty={categories.isSuccess && items.length === 0} empty="There are no categories yet." />
            {items.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={chosen.includes(c.id)} onChange={(e) => setChosenIds(e.target.checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))} />
                {categoryLabel(c)}
              </label>
            ))}
          </div>
        ) : null}
      </fieldset>
      <FormActions label="Save form settings" busyLabel="Saving…" isBusy={save.isPending} />
    </form>
  );
}
