// The office's custom fields as form inputs, by type: text, number, date, a select for a
// single choice and checkboxes for multiple choices. Required fields say so in their label.
import type { CustomFieldDefinition } from '../../../contract/constituents.js';
import type { FieldErrors } from '../api/client.js';
import { FieldError, SelectField, TextField } from '../components/FormFields.js';
import type { CustomInput } from './ConstituentFormModel.js';
import { inputId } from './ConstituentFormRows.js';

type Props = { defs: readonly CustomFieldDefinition[]; values: Record<string, CustomInput>; onChange: (key: string, value: CustomInput) => void; errors: FieldErrors };

export function ConstituentCustomFieldInputs({ defs, values, onChange, errors }: Props) {
  const current = defs.filter((d) => !d.retired);
  if (!current.length) return null;
  return (
    <fieldset>
      <legend>Custom fields</legend>
      {current.map((d) => <CustomFieldInput key={d.id} def={d} value={values[d.key]} onChange={(v) => onChange(d.key, v)} error={errors[`customFields.${d.key}`]} />)}
    </fieldset>
  );
}

function CustomFieldInput({ def, value, onChange, error }: { def: CustomFieldDefinition; value: CustomInput | undefined; onChange: (v: CustomInput) => void; error: string | undefined }) {
  const id = inputId(`customFields.${def.key}`);
  const label = def.isRequired ? `${def.label} (required)` : def.label;
  const text = typeof value === 'string' ? value : '';
  if (def.type === 'multi_choice') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className={error ? 'field-invalid' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        <legend>{label}</legend>
        {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
        <div className="checkbox-grid">
          {def.options.map((o, n) => (
            <label key={o} className="check">
              <input
                type="checkbox"
                id={n === 0 ? id : `${id}-${n}`}
                checked={chosen.includes(o)}
                onChange={(e) => onChange(e.target.checked ? [...chosen, o] : chosen.filter((x) => x !== o))}
              />
              {o}
            </label>
          ))}
        </div>
      </fieldset>
    );
  }
  if (def.type === 'choice') {
    return (
      <SelectField id={id} label={label} value={text} onChange={(e) => onChange(e.target.value)} error={error} required={def.isRequired}>
        <option value="">{def.isRequired ? 'Choose one' : 'Not set'}</option>
        {def.options.map((o) => <option key={o} value={o}>{o}</option>)}
        {text && !def.options.includes(text) ? <option value={text}>{text} (no longer an option)</option> : null}
      </SelectField>
    );
  }
  const type = def.type === 'number' ? 'number' : def.type === 'date' ? 'date' : 'text';
  return <TextField id={id} label={label} type={type} step={def.type === 'number' ? 'any' : undefined} value={text} onChange={(e) => onChange(e.target.value)} error={error} required={def.isRequired} />;
}
