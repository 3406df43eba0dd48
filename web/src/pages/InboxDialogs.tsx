// The inbox item's actions that ask for something first: opening a case from it (subject,
// category, preset to triage's, and priority, all optional), attaching it to a case named by
// its reference, and merging its sender's record into a constituent already on record
// (undoable from the constituent's merges).
import { useState, type FormEvent } from 'react';
import type { ConstituentSummary } from '../../../contract/constituents.js';
import { CASE_PRIORITIES, type CasePriority } from '../../../contract/cases.js';
import type { InboundItem } from '../../../contract/intake.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { categoryLabel, PRIORITY_LABELS, useCategories } from './CaseQueries.js';
import { ConstituentPicker } from './ConstituentPicker.js';
import { useInboxAction, type InboxAction, type InboxActionResult } from './InboxQueries.js';

type DialogProps = { item: InboundItem; onClose: () => void; onDone: (result: InboxActionResult, action: InboxAction) => void };

const CREATE_FIELDS = {
  subject: { id: 'inbox-case-subject', label: 'Subject' },
  categoryId: { id: 'inbox-case-category', label: 'Category' },
  priority: { id: 'inbox-case-priority', label: 'Priority' },
};

/** suggestedCategoryId: triage's category for the item, chosen to begin with. */
export function CreateCaseDialog({ item, suggestedCategoryId = null, onClose, onDone }: DialogProps & { suggestedCategoryId?: string | null }) {
  const categories = useCategories();
  const act = useInboxAction(item, onDone);
  const [subject, setSubject] = useState('');
  const [categoryId, setCategoryId] = useState(suggestedCategoryId ?? '');
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
        <SelectField id={CREATE_FIELDS.categoryId.id} label="Category (optional)" value={categoryId} onChange={(e) => setCategoryId(e.target.value)} error={errors.categoryId}
          hint={suggestedCategoryId ? 'Chosen by triage; change it if it is wrong.' : undefined}>
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

const MERGE_FIELDS = { constituentId: { id: 'inbox-merge-into', label: 'Constituent' } };

export function MergeSenderDialog({ item, onClose, onDone }: DialogProps) {
  const act = useInboxAction(item, onDone);
  const [into, setInto] = useState<ConstituentSummary | null>(null);
  const [missing, setMissing] = useState(false);
  const sender = item.constituent!;
  function submit(e: FormEvent) {
    e.preventDefault();
    setMissing(!into);
    if (into) act.mutate({ kind: 'merge-sender', constituentId: into.id });
  }
  return (
    <Modal title="Merge the sender into a constituent on record" onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={act.error} fields={MERGE_FIELDS} />
        <p>
          {sender.displayName}'s record is merged into the one you choose: their messages, cases and contact details move there. The merge can be undone from
          that constituent's page for 30 days.
        </p>
        <ConstituentPicker
          id={MERGE_FIELDS.constituentId.id}
          legend="Merge into"
          excludeIds={[sender.id]}
          value={into}
          onChange={(c) => { setInto(c); setMissing(false); }}
          error={missing ? 'Choose the constituent to merge into' : fieldErrorsOf(act.error).constituentId}
        />
        <FormActions label="Merge" busyLabel="Merging…" isBusy={act.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
