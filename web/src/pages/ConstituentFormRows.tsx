// Repeatable rows of the constituent form: email addresses, phone numbers, postal addresses
// and external ids. Each row is a fieldset with its own number; adding a row moves focus to
// its first input, removing one moves focus to the "Add" button.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { FieldErrors } from '../api/client.js';
import { useCan } from '../session.js';
import { ConstituentAddressLookup } from './ConstituentAddressLookup.js';
import { FieldError, SelectField, TextField } from '../components/FormFields.js';
import type { AddressRow, EmailRow, ExternalIdRow, PhoneRow } from './ConstituentFormModel.js';
import { newAddress, newEmail, newExternalId, newPhone } from './ConstituentFormModel.js';
import { humanize } from './ConstituentQueries.js';

/** The input id of a field path: "emails.0.email" → "c-emails-0-email". */
export const inputId = (path: string) => `c-${path.replace(/\./g, '-')}`;

type ListName = 'emails' | 'phones' | 'addresses' | 'externalIds';
type RowsProps<T> = {
  name: ListName; legend: string; noun: string; article: string; first: string;
  rows: T[]; onChange: (rows: T[]) => void; make: (isFirst: boolean) => T; errors: FieldErrors;
  render: (row: T, i: number, update: (change: Partial<T>) => void) => ReactNode;
};

function Rows<T extends { key: string; isPrimary?: boolean }>({ name, legend, noun, article, first, rows, onChange, make, errors, render }: RowsProps<T>) {
  const addRef = useRef<HTMLButtonElement>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useEffect(() => {
    if (focusTarget === 'add') addRef.current?.focus();
    else if (focusTarget) document.getElementById(focusTarget)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);
  const update = (i: number) => (change: Partial<T>) =>
    onChange(rows.map((r, n) => {
      if (n === i) return { ...r, ...change };
      // Only one primary per list: choosing one clears the others.
      return change.isPrimary ? { ...r, isPrimary: false } : r;
    }));
  return (
    <fieldset className="rows">
      <legend>{legend}</legend>
      {errors[name] ? <FieldError id={`${inputId(name)}-error`}>{errors[name]}</FieldError> : null}
      {rows.length === 0 ? <p className="hint">None.</p> : null}
      {rows.map((row, i) => (
        <fieldset key={row.key} className="row-fieldset">
          <legend>{humanize(noun)} {i + 1}</legend>
          {errors[`${name}.${i}`] ? <FieldError id={`${inputId(`${name}.${i}`)}-error`}>{errors[`${name}.${i}`]}</FieldError> : null}
          <div className="row-fields">{render(row, i, update(i))}</div>
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              onChange(rows.filter((_, n) => n !== i));
              setFocusTarget('add');
            }}
          >
            Remove {noun} {i + 1}
          </button>
        </fieldset>
      ))}
      <button
        type="button"
        className="button"
        ref={addRef}
        onClick={() => {
          onChange([...rows, make(rows.length === 0)]);
          setFocusTarget(inputId(`${name}.${rows.length}.${first}`));
        }}
      >
        Add {article} {noun}
      </button>
    </fieldset>
  );
}

function Options({ values }: { values: readonly string[] }) {
  return <>{values.map((v) => <option key={v} value={v}>{humanize(v)}</option>)}</>;
}

function PrimaryRadio({ group, id, checked, onChange, label }: { group: string; id: string; checked: boolean; onChange: () => void; label: string }) {
  return (
    <div className="field">
      <label className="check" htmlFor={id}>
        <input type="radio" id={id} name={group} checked={checked} onChange={onChange} />
        {label}
      </label>
    </div>
  );
}

type ListProps<T> = { rows: T[]; onChange: (rows: T[]) => void; errors: FieldErrors };

export function EmailRows({ rows, onChange, errors }: ListProps<EmailRow>) {
  return (
    <Rows name="emails" legend="Email addresses" noun="email address" article="an" first="email" rows={rows} onChange={onChange} make={newEmail} errors={errors}
      render={(r, i, update) => (
        <>
          <TextField id={inputId(`emails.${i}.email`)} label="Email" type="email" autoComplete="off" value={r.email} onChange={(e) => update({ email: e.target.value })} error={errors[`emails.${i}.email`]} />
          <SelectField id={inputId(`emails.${i}.type`)} label="Type" value={r.type} onChange={(e) => update({ type: e.target.value })} error={errors[`emails.${i}.type`]}>
            <Options values={['personal', 'work', 'other']} />
          </SelectField>
          <SelectField id={inputId(`emails.${i}.status`)} label="Status" value={r.status} onChange={(e) => update({ status: e.target.value })} error={errors[`emails.${i}.status`]}>
            <Options values={['valid', 'bounced', 'moved']} />
          </SelectField>
          <PrimaryRadio group="emails-primary" id={inputId(`emails.${i}.isPrimary`)} checked={r.isPrimary} onChange={() => update({ isPrimary: true })} label="Primary email address" />
        </>
      )}
    />
  );
}

export function PhoneRows({ rows, onChange, errors }: ListProps<PhoneRow>) {
  return (
    <Rows name="phones" legend="Phone numbers" noun="phone number" article="a" first="number" rows={rows} onChange={onChange} make={newPhone} errors={errors}
      render={(r, i, update) => (
        <>
          <TextField id={inputId(`phones.${i}.number`)} label="Number" type="tel" hint="Any format, such as 07700 900123 or +44 7700 900123." autoComplete="off" value={r.number} onChange={(e) => update({ number: e.target.value })} error={errors[`phones.${i}.number`]} />
          <SelectField id={inputId(`phones.${i}.type`)} label="Type" value={r.type} onChange={(e) => update({ type: e.target.value })} error={errors[`phones.${i}.type`]}>
            <Options values={['mobile', 'home', 'work', 'other']} />
          </SelectField>
          <SelectField id={inputId(`phones.${i}.status`)} label="Status" value={r.status} onChange={(e) => update({ status: e.target.value })} error={errors[`phones.${i}.status`]}>
            <Options values={['valid', 'wrong_number', 'moved']} />
          </SelectField>
          <PrimaryRadio group="phones-primary" id={inputId(`phones.${i}.isPrimary`)} checked={r.isPrimary} onChange={() => update({ isPrimary: true })} label="Primary phone number" />
        </>
      )}
    />
  );
}

export function AddressRows({ rows, onChange, errors }: ListProps<AddressRow>) {
  const canLookUp = useCan()('geo.read');
  const text = (i: number, r: AddressRow, field: 'line1' | 'line2' | 'locality' | 'postcode' | 'country' | 'lat' | 'lng', label: string, update: (c: Partial<AddressRow>) => void, extra: { hint?: string; inputMode?: 'decimal' } = {}) => (
    <TextField id={inputId(`addresses.${i}.${field}`)} label={label} autoComplete="off" value={r[field]} onChange={(e) => update({ [field]: e.target.value })} error={errors[`addresses.${i}.${field}`]} {...extra} />
  );
  return (
    <Rows name="addresses" legend="Postal addresses" noun="postal address" article="a" first="line1" rows={rows} onChange={onChange} make={newAddress} errors={errors}
      render={(r, i, update) => (
        <>
          {canLookUp ? (
            <ConstituentAddressLookup
              id={inputId(`addresses.${i}.lookup`)}
              onChoose={(a) => update({ line1: a.line1, line2: a.line2 ?? '', locality: a.locality ?? '', postcode: a.postcode ?? '', lat: String(a.lat), lng: String(a.lng) })}
            />
          ) : null}
          {text(i, r, 'line1', 'Address line 1', update)}
          {text(i, r, 'line2', 'Address line 2 (optional)', update)}
          {text(i, r, 'locality', 'Town or city', update)}
          {text(i, r, 'postcode', 'Postcode', update)}
          {text(i, r, 'country', 'Country code (optional)', update, { hint: 'Two letters, such as GB.' })}
          {text(i, r, 'lat', 'Latitude (optional)', update, { inputMode: 'decimal', hint: 'Leave blank to look it up from the address register.' })}
          {text(i, r, 'lng', 'Longitude (optional)', update, { inputMode: 'decimal' })}
          <SelectField id={inputId(`addresses.${i}.type`)} label="Type" value={r.type} onChange={(e) => update({ type: e.target.value })} error={errors[`addresses.${i}.type`]}>
            <Options values={['home', 'work', 'postal', 'other']} />
          </SelectField>
          <SelectField id={inputId(`addresses.${i}.status`)} label="Status" value={r.status} onChange={(e) => update({ status: e.target.value })} error={errors[`addresses.${i}.status`]}>
            <Options values={['valid', 'moved', 'undeliverable']} />
          </SelectField>
          <PrimaryRadio group="addresses-primary" id={inputId(`addresses.${i}.isPrimary`)} checked={r.isPrimary} onChange={() => update({ isPrimary: true })} label="Primary postal address" />
        </>
      )}
    />
  );
}

export function ExternalIdRows({ rows, onChange, errors }: ListProps<ExternalIdRow>) {
  return (
    <Rows name="externalIds" legend="External ids" noun="external id" article="an" first="system" rows={rows} onChange={onChange} make={() => newExternalId()} errors={errors}
      render={(r, i, update) => (
        <>
          <TextField id={inputId(`externalIds.${i}.system`)} label="System" hint="Such as voter_file." autoComplete="off" value={r.system} onChange={(e) => update({ system: e.target.value })} error={errors[`externalIds.${i}.system`]} />
          <TextField id={inputId(`externalIds.${i}.value`)} label="Id in that system" autoComplete="off" value={r.value} onChange={(e) => update({ value: e.target.value })} error={errors[`externalIds.${i}.value`]} />
        </>
      )}
    />
  );
}
