// Editing a referral that is not closed: the contact at the agency, what was sent, the
// agency's reference and the date a reply is expected. Checked against the contract schema
// in the browser; the server's refusal is shown beside the same field.
import { useState } from 'react';
import { ZUpdateReferral, type Referral } from '../../../contract/referrals.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { useFormMutation } from '../hooks/useFormMutation.js';

export function CaseReferralEditDialog({ referral: r, onClose, onSaved }: { referral: Referral; onClose: () => void; onSaved: (r: Referral) => Promise<void> }) {
  const [contact, setContact] = useState(r.contact ?? '');
  const [summary, setSummary] = useState(r.summary);
  const [theirReference, setTheirReference] = useState(r.theirReference ?? '');
  const [expected, setExpected] = useState(r.expectedResponseOn ?? '');
  const id = `referral-edit-${r.id}`;
  const fields = {
    contact: { id: `${id}-contact`, label: 'Contact at the agency' },
    summary: { id: `${id}-summary`, label: 'What was sent' },
    theirReference: { id: `${id}-reference`, label: 'Their reference' },
    expectedResponseOn: { id: `${id}-expected`, label: 'Reply expected by' },
  };
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const body = validate(ZUpdateReferral, { contact, summary, theirReference, expectedResponseOn: expected || null });
      return api.patch<Referral>(`/api/v1/referrals/${r.id}`, body);
    },
    onSuccess: onSaved,
  });
  return (
    <Modal title={`Edit the referral to ${r.agency.name}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} fields={fields} />
        <TextField id={fields.contact.id} label={`${fields.contact.label} (optional)`} value={contact} onChange={(e) => setContact(e.target.value)} error={errors.contact} />
        <TextAreaField id={fields.summary.id} label={fields.summary.label} rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} error={errors.summary} />
        <TextField id={fields.theirReference.id} label={`${fields.theirReference.label} (optional)`} value={theirReference} onChange={(e) => setTheirReference(e.target.value)} error={errors.theirReference} />
        <TextField id={fields.expectedResponseOn.id} label={`${fields.expectedResponseOn.label} (optional)`} type="date" value={expected} onChange={(e) => setExpected(e.target.value)} error={errors.expectedResponseOn} />
        <FormActions label="Save changes" busyLabel="Saving…" isBusy={save.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
