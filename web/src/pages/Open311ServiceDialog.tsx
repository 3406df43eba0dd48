// Publishing a case category as an Open311 service, or changing how it is published: the
// service code clients send, its description, keywords and group, and its attributes.
import { useState } from 'react';
import { ZOpen311ServiceInput, type Open311Service } from '../../../contract/open311.js';
import { api, validate } from '../api/client.js';
import { FormActions } from '../components/FormActions.js';
import { errorAt, ErrorSummary, fieldTargets, TextAreaField, TextField } from '../components/FormFields.js';
import { Modal } from '../components/Modal.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { attributeErrorTargets, attributesOf, draftsOf, Open311AttributeFields, type AttributeDraft } from './Open311AttributeFields.js';

const FIELDS = fieldTargets('svc', { serviceCode: 'Service code', description: 'Description', keywords: 'Keywords', group: 'Group' });

export type ServiceTarget = { categoryId: string; label: string; service: Open311Service | null };

export function Open311ServiceDialog({ target, onClose, onSaved }: { target: ServiceTarget; onClose: () => void; onSaved: (s: Open311Service) => void }) {
  const s = target.service;
  const [serviceCode, setServiceCode] = useState(s?.serviceCode ?? '');
  const [description, setDescription] = useState(s?.description ?? '');
  const [keywords, setKeywords] = useState(s?.keywords.join(', ') ?? '');
  const [group, setGroup] = useState(s?.group ?? '');
  const [drafts, setDrafts] = useState<AttributeDraft[]>(() => draftsOf(s?.attributes ?? []));
  const { mutation: save, errors, submit } = useFormMutation({
    mutationFn: () => {
      const body = validate(ZOpen311ServiceInput, {
        serviceCode: serviceCode.trim(), description: description.trim(), keywords: keywords.split(',').map((k) => k.trim()).filter(Boolean),
        group: group.trim() || null, attributes: attributesOf(drafts),
      });
      return api.put<Open311Service>(`/api/v1/open311/services/${target.categoryId}`, body);
    },
    onSuccess: onSaved,
  });
  return (
    <Modal title={s ? `Edit the Open311 service of ${target.label}` : `Publish ${target.label} as an Open311 service`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary error={save.error} fields={{ ...FIELDS, ...attributeErrorTargets(drafts) }} />
        <TextField id={FIELDS.serviceCode.id} label={FIELDS.serviceCode.label} hint="What clients send as service_code, such as pothole or 001. No commas." autoComplete="off" spellCheck={false}
          value={serviceCode} onChange={(e) => setServiceCode(e.target.value)} error={errors.serviceCode} />
        <TextAreaField id={FIELDS.description.id} label={FIELDS.description.label} hint="Shown to residents in client apps (optional)." rows={2}
          value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} />
        <TextField id={FIELDS.keywords.id} label={FIELDS.keywords.label} hint="Separate them with commas, such as road, hole, tarmac (optional)." autoComplete="off"
          value={keywords} onChange={(e) => setKeywords(e.target.value)} error={errorAt(errors, 'keywords')} />
        <TextField id={FIELDS.group.id} label={FIELDS.group.label} hint="Clients list services under their group, such as Streets (optional)." autoComplete="off"
          value={group} onChange={(e) => setGroup(e.target.value)} error={errors.group} />
        <Open311AttributeFields drafts={drafts} onChange={setDrafts} errors={errors} />
        <FormActions label={s ? 'Save service' : 'Publish service'} busyLabel="Saving…" isBusy={save.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
