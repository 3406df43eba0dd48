// The attributes of an Open311 service: extra questions a client asks the resident (or
// information it only shows), each with a code, a datatype and, for lists, the values to
// choose from. Edited as drafts (text as typed) and turned into the contract's shape on save;
// their position is their order. Errors come back by path ("attributes.1.values").
import { useEffect, useState } from 'react';
import { OPEN311_DATATYPES, type Open311Attribute, type Open311Datatype, type Open311ServiceInput } from '../../../contract/open311.js';
import type { FieldErrors } from '../api/client.js';
import { errorAt, FieldError, SelectField, TextAreaField, TextField } from '../components/FormFields.js';

export type AttributeDraft = {
  /** Stable while editing, for element ids and React keys (positions change on removal). */
  key: number;
  code: string;
  datatype: Open311Datatype;
  required: boolean;
  variable: boolean;
  description: string;
  datatypeDescription: string;
  /** One value a line: "key = name", or just a name that is its own key. */
  values: string;
};

const DATATYPE_LABELS: Record<Open311Datatype, string> = {
  string: 'Short text', text: 'Long text', number: 'Number', datetime: 'Date and time',
  singlevaluelist: 'One choice from a list', multivaluelist: 'Several choices from a list',
};

const isList = (t: Open311Datatype) => t === 'singlevaluelist' || t === 'multivaluelist';

let nextKey = 1;

const newDraft = (): AttributeDraft => ({ key: nextKey++, code: '', datatype: 'string', required: false, variable: true, description: '', datatypeDescription: '', values: '' });

export const draftsOf = (attributes: Open311Attribute[]): AttributeDraft[] =>
  [...attributes].sort((a, b) => a.order - b.order).map((a) => ({
    ...newDraft(), code: a.code, datatype: a.datatype, required: a.required, variable: a.variable, description: a.description,
    datatypeDescription: a.datatypeDescription ?? '', values: a.values.map((v) => (v.key === v.name ? v.key : `${v.key} = ${v.name}`)).join('\n'),
  }));

function valuesOf(text: string) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    const at = line.indexOf('=');
    return at < 0 ? { key: line, name: line } : { key: line.slice(0, at).trim(), name: line.slice(at + 1).trim() };
  });
}

/** The drafts as the API takes them; a value list only for list datatypes. */
export const attributesOf = (drafts: AttributeDraft[]): NonNullable<Open311ServiceInput['attributes']> =>
  drafts.map((d, i) => ({
    code: d.code.trim(), datatype: d.datatype, required: d.required, variable: d.variable, order: i + 1, description: d.description.trim(),
    datatypeDescription: d.datatypeDescription.trim() || null, values: isList(d.datatype) ? valuesOf(d.values) : [],
  }));

const idOf = (d: AttributeDraft, part: string) => `svc-attr-${d.key}-${part}`;

/** Error paths of the attributes mapped to their controls, for the error summary's links. */
export function attributeErrorTargets(drafts: AttributeDraft[]): Record<string, { id: string; label: string }> {
  const out: Record<string, { id: string; label: string }> = { attributes: { id: 'svc-attr-add', label: 'Attributes' } };
  drafts.forEach((d, i) => {
    for (const [part, label] of [['code', 'code'], ['description', 'question'], ['datatype', 'type'], ['values', 'values'], ['datatypeDescription', 'hint']] as const) {
      out[`attributes.${i}.${part}`] = { id: idOf(d, part), label: `Attribute ${i + 1} ${label}` };
    }
  });
  return out;
}

export function Open311AttributeFields({ drafts, onChange, errors }: { drafts: AttributeDraft[]; onChange: (next: AttributeDraft[]) => void; errors: FieldErrors }) {
  // After adding or removing, focus goes to the new attribute or back to the Add button.
  const [focusId, setFocusId] = useState<string | null>(null);
  useEffect(() => {
    if (focusId) document.getElementById(focusId)?.focus();
    setFocusId(null);
  }, [focusId]);
  const edit = (key: number, patch: Partial<AttributeDraft>) => onChange(drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)));
  const listError = errors.attributes;
  return (
    <fieldset className={listError ? 'field field-invalid' : 'field'} aria-describedby={listError ? 'svc-attributes-error' : 'svc-attributes-hint'}>
      <legend>Attributes</legend>
      <p className="hint" id="svc-attributes-hint">Extra questions a client asks the resident with a report, such as how deep a pothole is. Their order here is the order they are asked in.</p>
      {listError ? <FieldError id="svc-attributes-error">{listError}</FieldError> : null}
      {drafts.map((d, i) => {
        const at = (part: string) => errorAt(errors, `attributes.${i}.${part}`);
        return (
          <fieldset key={d.key} className="card">
            <legend>Attribute {i + 1}</legend>
            <TextField id={idOf(d, 'code')} label="Code" hint="Letters, digits, _ . - only; clients send the answer as attribute[code]." autoComplete="off" spellCheck={false}
              value={d.code} onChange={(e) => edit(d.key, { code: e.target.value })} error={at('code')} />
            <TextField id={idOf(d, 'description')} label="Question" value={d.description} onChange={(e) => edit(d.key, { description: e.target.value })} error={at('description')} />
            <SelectField id={idOf(d, 'datatype')} label="Type of answer" value={d.datatype} onChange={(e) => edit(d.key, { datatype: e.target.value as Open311Datatype })} error={at('datatype')}>
              {OPEN311_DATATYPES.map((t) => <option key={t} value={t}>{DATATYPE_LABELS[t]}</option>)}
            </SelectField>
            {isList(d.datatype) ? (
              <TextAreaField id={idOf(d, 'values')} label="Values to choose from" hint="One a line: key = name (such as “deep = Deeper than 5 cm”), or just a name." rows={4}
                value={d.values} onChange={(e) => edit(d.key, { values: e.target.value })} error={at('values')} />
            ) : null}
            <TextField id={idOf(d, 'datatypeDescription')} label="Hint for the answer (optional)" value={d.datatypeDescription} onChange={(e) => edit(d.key, { datatypeDescription: e.target.value })}
              error={at('datatypeDescription')} />
            <p>
              <label className="check">
                <input type="checkbox" checked={d.required} onChange={(e) => edit(d.key, { required: e.target.checked })} /> An answer is required
              </label>
            </p>
            <p>
              <label className="check">
                <input type="checkbox" checked={d.variable} onChange={(e) => edit(d.key, { variable: e.target.checked })} /> Ask the resident (untick for information that is only shown)
              </label>
            </p>
            <button
              type="button"
              className="button button-small button-danger"
              onClick={() => {
                onChange(drafts.filter((x) => x.key !== d.key));
                setFocusId('svc-attr-add');
              }}
            >
              Remove attribute {i + 1}
            </button>
          </fieldset>
        );
      })}
      <button
        id="svc-attr-add"
        type="button"
        className="button"
        onClick={() => {
          const d = newDraft();
          onChange([...drafts, d]);
          setFocusId(idOf(d, 'code'));
        }}
      >
        Add an attribute
      </button>
    </fieldset>
  );
}
