// A choice of several values as checkboxes in a fieldset (a multi-select that works by
// keyboard and screen reader). The first box carries the group's id, so an error summary's
// link can move focus into the group.
import type { ReactNode } from 'react';
import { FieldError } from './FormFields.js';

export type Choice = { value: string; label: string };

export function CheckboxGroup({ id, legend, hint, choices, value, onChange, error, empty = 'Nothing to choose from yet.' }: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  choices: Choice[];
  value: string[];
  onChange: (next: string[]) => void;
  error?: string | undefined;
  empty?: ReactNode;
}) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset className={error ? 'field field-invalid' : 'field'} aria-describedby={describedBy}>
      <legend>{legend}</legend>
      {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
      {error ? <FieldError id={`${id}-error`}>{error}</FieldError> : null}
      {choices.length === 0 ? <p>{empty}</p> : (
        <div className="checkbox-grid">
          {choices.map((c, i) => (
            <label key={c.value} className="check">
              <input
                id={i === 0 ? id : `${id}-${i}`}
                type="checkbox"
                checked={value.includes(c.value)}
                onChange={(e) => onChange(e.target.checked ? [...value, c.value] : value.filter((v) => v !== c.value))}
              />
              {c.label}
            </label>
          ))}
        </div>
      )}
    </fieldset>
  );
}
