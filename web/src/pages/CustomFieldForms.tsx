// The forms of the custom fields page: defining a field (its key and type are fixed once
// created) and editing its label, options, required flag and order.
import { useState } from 'react';
import {
  CUSTOM_FIELD_TYPES, ZCreateCustomField, ZUpdateCustomField, type CustomFieldDefinition,
} from '../../../contract/constituents.js';
import { api, validate } from '../api/client.js';
import { ErrorSummary, SelectField, TextAreaField, TextField } from '../components/FormFields.js';
import { FormActions } from '../components/FormActions.js';
import { Modal } from '../components/Modal.js';
import { useFormMutation } from '../hooks/useFormMutation.js';
import { FIELD_TYPE_LABELS } from './ConstituentQueries.js';

type FieldType = (typeof CUSTOM_FIELD_TYPES)[number];
const isChoice = (t: FieldType) => t === 'choice' || t === 'multi_choice';
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

function RequiredCheckbox({ id, checked, onChange }: { id: string; checked: boolean; onChange: (v: boolean) => void }) {
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input type="checkbox" id={id} checked={checked} onChange={(e) => onChange(e.target.checked)} />
        Required: every record must have a value
      </label>
    </div>
  );
}

function OptionsField({ id, value, onChange, error }: { id: string; value: string; onChange: (v: string) => void; error: string | undefined }) {
  return <TextAreaField id={id} label="Options" hint="One option per line." rows={5} value={value} onChange={(e) => onChange(e.target.value)} error={error} />;
}

export function CreateCustomFieldForm({ onCreated, onCancel }: { onCreated: (d: CustomFieldDefinition) => void; onCancel: () => void }) {
  const [key, setKey] = useState('');
  const [label, setLabel] = useState('');
  const [type, setType] = useState<FieldType>('text');
  const [options, setOptions] = useState('');
  const [isRequired, setRequired] = useState(false);
  const [position, setPosition] = useState('0');
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () =>
      api.post<CustomFieldDefinition>('/api/v1/custom-fields', validate(ZCreateCustomField, {
        key, label, type, options: isChoice(type) ? lines(options) : [], isRequired, position: Number(position || 0),
      })),
    onSuccess: onCreated,
  });
  return (
    <form className="form card" onSubmit={submit} noValidate aria-labelledby="create-field-heading">
      <h2 id="create-field-heading">Add a custom field</h2>
      <ErrorSummary
        error={mutation.error}
        fields={{
          key: { id: 'cf-key', label: 'Key' }, label: { id: 'cf-label', label: 'Label' }, type: { id: 'cf-type', label: 'Type' },
          options: { id: 'cf-options', label: 'Options' }, position: { id: 'cf-position', label: 'Order' },
        }}
      />
      <TextField id="cf-label" label="Label" hint="What staff see on forms and records." autoComplete="off" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
      <TextField
        id="cf-key"
        label="Key"
        hint="Used in imports, exports and filters: lowercase letters, digits and _, starting with a letter. It cannot be changed later."
        autoComplete="off"
        value={key}
        onChange={(e) => setKey(e.target.value)}
        error={errors.key}
      />
      <SelectField id="cf-type" label="Type" hint="It cannot be changed later." value={type} onChange={(e) => setType(e.target.value as FieldType)} error={errors.type}>
        {CUSTOM_FIELD_TYPES.map((t) => <option key={t} value={t}>{FIELD_TYPE_LABELS[t]}</option>)}
      </SelectField>
      {isChoice(type) ? <OptionsField id="cf-options" value={options} onChange={setOptions} error={errors.options} /> : null}
      <RequiredCheckbox id="cf-required" checked={isRequired} onChange={setRequired} />
      <TextField id="cf-position" label="Order" hint="Fields with lower numbers come first." type="number" inputMode="numeric" value={position} onChange={(e) => setPosition(e.target.value)} error={errors.position} />
      <FormActions label="Add field" busyLabel="Adding…" isBusy={mutation.isPending} onCancel={onCancel} />
    </form>
  );
}

export function EditCustomFieldDialog({ field, onSaved, onClose }: { field: CustomFieldDefinition; onSaved: (d: CustomFieldDefinition) => void; onClose: () => void }) {
  const [label, setLabel] = useState(field.label);
  const [options, setOptions] = useState(field.options.join('\n'));
  const [isRequired, setRequired] = useState(field.isRequired);
  const [position, setPosition] = useState(String(field.position));
  const { mutation, errors, submit } = useFormMutation({
    mutationFn: () =>
      api.patch<CustomFieldDefinition>(`/api/v1/custom-fields/${field.id}`, validate(ZUpdateCustomField, {
        label, isRequired, position: Number(position || 0), ...(isChoice(field.type) ? { options: lines(options) } : {}),
      })),
    onSuccess: onSaved,
  });
  return (
    <Modal title={`Edit the field “${field.label}”`} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <ErrorSummary
          error={mutation.error}
          fields={{ label: { id: 'cf-edit-label', label: 'Label' }, options: { id: 'cf-edit-options', label: 'Options' }, position: { id: 'cf-edit-position', label: 'Order' } }}
        />
        <p className="hint">
          Key <code>{field.key}</code> · {FIELD_TYPE_LABELS[field.type]}
        </p>
        <TextField id="cf-edit-label" label="Label" value={label} onChange={(e) => setLabel(e.target.value)} error={errors.label} />
        {isChoice(field.type) ? <OptionsField id="cf-edit-options" value={options} onChange={setOptions} error={errors.options} /> : null}
        <RequiredCheckbox id="cf-edit-required" checked={isRequired} onChange={setRequired} />
        <TextField id="cf-edit-position" label="Order" type="number" inputMode="numeric" value={position} onChange={(e) => setPosition(e.target.value)} error={errors.position} />
        <FormActions label="Save changes" busyLabel="Saving…" isBusy={mutation.isPending} onCancel={onClose} />
      </form>
    </Modal>
  );
}
