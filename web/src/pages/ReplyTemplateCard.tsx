// One reply template on the templates page: each language with its approved text and open
// draft, and what the signed-in user may do: write or discard a draft, add a translation and
// restore old versions (templates.draft), approve a draft after reading it (templates.approve),
// change the template's details or retire it (templates.manage).
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import type { ReplyTemplate, TemplateTranslation, TemplateVersion } from '../../../contract/templates.js';
import { api } from '../api/client.js';
import { ErrorSummary } from '../components/FormFields.js';
import { ConfirmDialog, Modal } from '../components/Modal.js';
import { formatDateTime } from '../format.js';
import { useConfirmedAction } from '../hooks/useConfirmedAction.js';
import { useCan } from '../session.js';
import { languageName } from './ReplyQueries.js';
import { ReplyTemplateForm } from './ReplyTemplateForm.js';
import { TemplateDraftForm } from './TemplateDraftForm.js';
import { TemplateHistoryDialog } from './TemplateHistoryDialog.js';

type Dialog = { kind: 'draft'; language?: string; start?: { subject: string; body: string } } | { kind: 'history'; language: string } | { kind: 'details' };
type Target = { language: string; draft: TemplateVersion };

function VersionText({ title, version }: { title: string; version: TemplateVersion }) {
  const who = version.approvedAt ? `approved by ${version.approvedBy}, ${formatDateTime(version.approvedAt)}` : `written by ${version.createdBy}, ${formatDateTime(version.updatedAt)}`;
  return (
    <>
      <h4>{title}</h4>
      <p className="hint">Version {version.version}, {who}</p>
      <p><strong>Subject:</strong> {version.subject}</p>
      <pre className="pre-wrap template-body">{version.body}</pre>
    </>
  );
}

export function ReplyTemplateCard({ template: t, onChanged }: { template: ReplyTemplate; onChanged: (message: string) => void }) {
  const can = useCan();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const done = (message: string) => {
    setDialog(null);
    onChanged(message);
  };
  const approve = useConfirmedAction({
    mutationFn: (x: Target) => api.post<ReplyTemplate>(`/api/v1/reply-templates/${t.id}/languages/${x.language}/approve`, { version: x.draft.version, revision: x.draft.revision }),
    onSuccess: (_r, x) => onChanged(`${languageName(x.language)} text of ${t.name} approved (version ${x.draft.version}).`),
  });
  const discard = useConfirmedAction({
    mutationFn: (x: Target) => api.delete<ReplyTemplate>(`/api/v1/reply-templates/${t.id}/languages/${x.language}/draft`),
    onSuccess: (_r, x) => onChanged(`Draft of the ${languageName(x.language)} text of ${t.name} discarded.`),
  });
  // Retiring is undone by restoring: no confirmation.
  const retire = useMutation({
    mutationFn: () => api.patch<ReplyTemplate>(`/api/v1/reply-templates/${t.id}`, { retired: !t.retired }),
    onSuccess: (x) => onChanged(x.retired ? `Template ${x.name} retired.` : `Template ${x.name} restored.`),
  });

  function languageSection(tr: TemplateTranslation) {
    const label = languageName(tr.language);
    const of = <span className="visually-hidden"> {label} text of {t.name}</span>;
    const start = tr.draft ?? tr.approved;
    return (
      <section key={tr.language} className="template-language" aria-label={`${label} text of ${t.name}`}>
        <h3>
          {label}{tr.language === t.defaultLanguage ? <span className="hint"> (default)</span> : null}{' '}
          {tr.approved ? <span className="badge template-status-approved">Approved v{tr.approved.version}</span> : <span className="badge template-status-missing">Not approved</span>}
          {tr.draft ? <span className="badge template-status-draft">Draft v{tr.draft.version}</span> : null}
        </h3>
        {tr.approved ? <VersionText title="Text in use" version={tr.approved} /> : <p>Nothing is sent in this language until a draft is approved.</p>}
        {tr.draft ? <VersionText title="Draft, waiting for approval" version={tr.draft} /> : null}
        <div className="button-row">
          {can('templates.draft') ? (
            <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'draft', language: tr.language, ...(start ? { start } : {}) })}>
              {tr.draft ? 'Edit draft' : 'Write a new draft'}{of}
            </button>
          ) : null}
          {tr.draft && can('templates.approve') ? (
            <button type="button" className="button button-small button-primary" onClick={() => approve.ask({ language: tr.language, draft: tr.draft! })}>Approve{of}</button>
          ) : null}
          {tr.draft && can('templates.draft') ? (
            <button type="button" className="button button-small" onClick={() => discard.ask({ language: tr.language, draft: tr.draft! })}>Discard draft{of}</button>
          ) : null}
          <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'history', language: tr.language })}>History{of}</button>
        </div>
      </section>
    );
  }

  return (
    <li className="card">
      <h2>{t.name}{t.retired ? <span className="badge badge-disabled">Retired</span> : null}</h2>
      <ErrorSummary error={retire.error} />
      {t.translations.map(languageSection)}
      <div className="button-row">
        {can('templates.draft') ? (
          <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'draft' })}>Add a translation<span className="visually-hidden"> of {t.name}</span></button>
        ) : null}
        {can('templates.manage') ? (
          <>
            <button type="button" className="button button-small" onClick={() => setDialog({ kind: 'details' })}>Edit details<span className="visually-hidden"> of {t.name}</span></button>
            <button type="button" className="button button-small" onClick={() => retire.mutate()} disabled={retire.isPending}>{t.retired ? 'Restore' : 'Retire'}<span className="visually-hidden"> {t.name}</span></button>
          </>
        ) : null}
      </div>
      {dialog?.kind === 'draft' ? (
        <Modal title={dialog.language ? `Draft of the ${languageName(dialog.language)} text of ${t.name}` : `Add a translation of ${t.name}`} onClose={() => setDialog(null)}>
          <TemplateDraftForm
            idPrefix="template-draft" template={t} {...(dialog.language ? { language: dialog.language } : {})} {...(dialog.start ? { start: dialog.start } : {})}
            onCancel={() => setDialog(null)} onSaved={(_s, language) => done(`Draft of the ${languageName(language)} text of ${t.name} saved.`)}
          />
        </Modal>
      ) : null}
      {dialog?.kind === 'history' ? (
        <TemplateHistoryDialog
          template={t} language={dialog.language} canRestore={can('templates.draft')} onClose={() => setDialog(null)}
          onRestored={(_s, version) => done(`Version ${version} of the ${languageName(dialog.language)} text of ${t.name} restored as a new draft.`)}
        />
      ) : null}
      {dialog?.kind === 'details' ? (
        <Modal title={`Edit template ${t.name}`} onClose={() => setDialog(null)}>
          <ReplyTemplateForm idPrefix="edit-template" template={t} onCancel={() => setDialog(null)} onSaved={(x) => done(`Template ${x.name} saved.`)} />
        </Modal>
      ) : null}
      {approve.target ? (
        <ConfirmDialog title={`Approve the ${languageName(approve.target.language)} text of ${t.name}?`} confirmLabel="Approve" {...approve.confirmProps}>
          <p>Residents will get this text from now on{t.translations.find((x) => x.language === approve.target!.language)?.approved ? ', instead of the version in use' : ''}.</p>
          <p><strong>Subject:</strong> {approve.target.draft.subject}</p>
          <pre className="pre-wrap template-body">{approve.target.draft.body}</pre>
        </ConfirmDialog>
      ) : null}
      {discard.target ? (
        <ConfirmDialog title={`Discard the draft of the ${languageName(discard.target.language)} text?`} confirmLabel="Discard draft" isDanger {...discard.confirmProps}>
          <p>Version {discard.target.draft.version} stays in the history as discarded; the text in use does not change.</p>
        </ConfirmDialog>
      ) : null}
    </li>
  );
}
