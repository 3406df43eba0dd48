// The inbox item's two actions that ask for something first: opening a case from it (subject,
// category and priority, all optional) and attaching it to a case named by its reference.
import { useState, type FormEvent } from 'react';
import { CASE_PRIORITIES, type CasePriority } from '../../../contract/cases.js';
import type { InboundItem } from '../../../contract/intake.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { categoryLabel, PRIORITY_LABELS, useCategories } from './CaseQueries.js';
import { useInboxAction, type InboxAction, type InboxActionResult } from './InboxQueries.js';

type DialogProps = { item: InboundItem; onClose: () => void; onDone: (result: InboxActionResult, action: InboxAction) => void };

const CREATE_FIELDS = {
  subject: { id: 'inbox-case-subject', label: 'Subject' },
  categoryId: { id: 'inbox-case-category', label: 'Category' },
  priority: { id: 'inbox-case-priority', label: 'Priority' },
};

export function CreateCaseDialog({ item, onClose, onDone }: DialogProps) {
  const categories = useCategories();
  const act = useInboxAction(item, onDone);
  const [subject, setSubject] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [priority, setPriority] = useState<CasePriority>('normal');
  const errors = fieldErrorsOf(act.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    act.mutate({ kind: 'create-case', body: { ...(subject.trim() ? { subject: subject.trim() } : {}), ...(categoryId ? { categoryId } : {}), priority } });
  }
  return (
    <Modal title="Open a case from this message" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={act.error} fields={CREATE_FIELDS} />
        <p>The sender becomes the requester and the message the description.</p>
        <TextField
          id={CREATE_FIELDS.subject.id}
          label="Subject (optional)"
          hint={item.subject ? `Left empty, the case takes the message's subject: “${item.subject}”.` : 'Left empty, the case takes the first line of the message.'}
          value={subject}
          maxLength={300}
          onChange={(e) => setSubject(e.target.value)}
          error={errors.subject}
        />
        <SelectField id={CREATE_FIELDS.categoryId.id} label="Category (optional)" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} error={errors.categoryId}>
          <option value="">Not categorised</option>
          {(categories.data ?? []).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}</option>)}
        </SelectField>
        <SelectField id={CREATE_FIELDS.priority.id} label="Priority" value={priority} onChange={(e) => setPriority(e.target.value as CasePriority)} error={errors.priority}>
          {CASE_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
        </SelectField>
        <FormActions label="Create case" busyLabel="Creating…" isBusy={act.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}

const ATTACH_FIELDS = { caseId: { id: 'inbox-attach-case', label: 'Case' } };

export function AttachDialog({ item, onClose, onDone }: DialogProps) {
  const act = useInboxAction(item, onDone);
  const [reference, setReference] = useState('');
  function submit(e: FormEvent) {
    e.preventDefault();
    act.mutate({ kind: 'attach', case: reference });
  }
  return (
    <Modal title="Attach this message to a case" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={act.error} fields={ATTACH_FIELDS} />
        <TextField
          id={ATTACH_FIELDS.caseId.id}
          label="Case reference"
          hint="Such as C-2026-00042 (or the case's id). A resolved case is reopened by a message."
          value={reference}
          autoComplete="off"
          onChange={(e) => setReference(e.target.value)}
          error={fieldErrorsOf(act.error).caseId}
        />
        <FormActions label="Attach" busyLabel="Attaching…" isBusy={act.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
