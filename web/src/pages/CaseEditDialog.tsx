// Editing a case from its page: subject, description, category, tags, priority, the
// sensitive flag (with case.sensitive) and the location (an address is geocoded by the
// server; a pin can be given as latitude and longitude). Only changed fields are sent.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { CASE_PRIORITIES, type Case, type CasePriority, type UpdateCase } from '../../../contract/cases.js';
import { api } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { ErrorSummary, fieldErrorsOf, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { useCan } from '../session.js';
import { caseKeys, categoryLabel, PRIORITY_LABELS, useCategories } from './CaseQueries.js';

const FIELDS = {
  subject: { id: 'edit-subject', label: 'Subject' }, description: { id: 'edit-description', label: 'Description' }, categoryId: { id: 'edit-category', label: 'Category' },
  tags: { id: 'edit-tags', label: 'Tags' }, priority: { id: 'edit-priority', label: 'Priority' }, isSensitive: { id: 'edit-sensitive', label: 'Sensitive' },
  'location.address': { id: 'edit-address', label: 'Address' }, 'location.lat': { id: 'edit-lat', label: 'Latitude' }, 'location.lng': { id: 'edit-lng', label: 'Longitude' },
};

const num = (s: string) => (s.trim() === '' ? null : Number(s));

/** The PATCH body: what differs from the case. */
function changes(kase: Case, v: Form): UpdateCase {
  const out: UpdateCase = {};
  if (v.subject !== kase.subject) out.subject = v.subject;
  if (v.description !== kase.description) out.description = v.description;
  if (v.categoryId !== (kase.category?.id ?? '')) out.categoryId = v.categoryId || null;
  const tags = v.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.join(',') !== kase.tags.join(',')) out.tags = tags;
  if (v.priority !== kase.priority) out.priority = v.priority;
  if (v.isSensitive !== kase.isSensitive) out.isSensitive = v.isSensitive;
  const pin = { lat: num(v.lat), lng: num(v.lng) };
  const addressChanged = v.address.trim() !== (kase.location.address ?? '');
  const pinChanged = pin.lat !== kase.location.lat || pin.lng !== kase.location.lng;
  // A new address without a new pin is geocoded: the old pin must not stick to it.
  if (addressChanged || pinChanged) out.location = { address: v.address.trim() || null, ...(pinChanged ? pin : { lat: null, lng: null }) };
  return out;
}

type Form = { subject: string; description: string; categoryId: string; tags: string; priority: CasePriority; isSensitive: boolean; address: string; lat: string; lng: string };

export function CaseEditDialog({ kase, onClose, onDone }: { kase: Case; onClose: () => void; onDone: (c: Case) => void }) {
  const can = useCan();
  const categories = useCategories();
  const queryClient = useQueryClient();
  const [v, setV] = useState<Form>({
    subject: kase.subject, description: kase.description, categoryId: kase.category?.id ?? '', tags: kase.tags.join(', '), priority: kase.priority, isSensitive: kase.isSensitive,
    address: kase.location.address ?? '', lat: kase.location.lat === null ? '' : String(kase.location.lat), lng: kase.location.lng === null ? '' : String(kase.location.lng),
  });
  const edit = (change: Partial<Form>) => setV({ ...v, ...change });
  const save = useMutation({
    mutationFn: () => api.patch<Case>(`/api/v1/cases/${kase.id}`, changes(kase, v)),
    onSuccess: (updated) => {
      queryClient.setQueryData(caseKeys.one(kase.id), updated);
      void queryClient.invalidateQueries({ queryKey: caseKeys.all });
      onDone(updated);
    },
  });
  const errors = fieldErrorsOf(save.error);
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate();
  }
  return (
    <Modal title={`Edit ${kase.reference}`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} fields={FIELDS} />
        <TextField id={FIELDS.subject.id} label="Subject" value={v.subject} onChange={(e) => edit({ subject: e.target.value })} error={errors.subject} />
        <TextAreaField id={FIELDS.description.id} label="Description" rows={4} value={v.description} onChange={(e) => edit({ description: e.target.value })} error={errors.description} />
        <SelectField id={FIELDS.categoryId.id} label="Category" value={v.categoryId} onChange={(e) => edit({ categoryId: e.target.value })} error={errors.categoryId}>
          <option value="">Not categorised</option>
          {(categories.data ?? []).filter((c) => !c.retired || c.id === kase.category?.id).map((c) => <option key={c.id} value={c.id}>{categoryLabel(c)}{c.retired ? ' (retired)' : ''}</option>)}
        </SelectField>
        <TextField id={FIELDS.tags.id} label="Tags" hint="Separate tags with commas." value={v.tags} onChange={(e) => edit({ tags: e.target.value })} error={errors.tags} />
        <SelectField id={FIELDS.priority.id} label="Priority" value={v.priority} onChange={(e) => edit({ priority: e.target.value as CasePriority })} error={errors.priority}>
          {CASE_PRIORITIES.map((p) => <option key={p} value={p}>{PRIORITY_LABELS[p]}</option>)}
        </SelectField>
        {can('case.sensitive') ? (
          <label className="check"><input id={FIELDS.isSensitive.id} type="checkbox" checked={v.isSensitive} onChange={(e) => edit({ isSensitive: e.target.checked })} /> Sensitive (only staff allowed to see sensitive cases)</label>
        ) : null}
        <fieldset>
          <legend>Location</legend>
          <TextField id={FIELDS['location.address'].id} label="Address" hint="Found in the address register (or the geocoder) when no pin is given; the ward follows." value={v.address} onChange={(e) => edit({ address: e.target.value })} error={errors['location.address']} />
          <TextField id={FIELDS['location.lat'].id} label="Latitude (optional pin)" inputMode="decimal" value={v.lat} onChange={(e) => edit({ lat: e.target.value })} error={errors['location.lat']} />
          <TextField id={FIELDS['location.lng'].id} label="Longitude (optional pin)" inputMode="decimal" value={v.lng} onChange={(e) => edit({ lng: e.target.value })} error={errors['location.lng']} />
        </fieldset>
        <FormActions label="Save changes" busyLabel="Saving…" isBusy={save.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
