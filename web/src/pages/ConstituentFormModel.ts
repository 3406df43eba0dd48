// The create/edit form's state: what the inputs hold (strings, rows with stable keys), how it
// becomes an API body, and how the API's error paths (emails.1.email) find their inputs again
// when blank rows were left out of the body.
import type { Constituent, ContactChannel, CustomFieldDefinition } from '../../../contract/constituents.js';
import type { FieldErrors } from '../api/client.js';

let nextKey = 0;
const key = () => `row-${++nextKey}`;

export type EmailRow = { key: string; email: string; type: string; isPrimary: boolean; status: string };
export type PhoneRow = { key: string; number: string; type: string; isPrimary: boolean; status: string };
export type AddressRow = {
  key: string; line1: string; line2: string; locality: string; postcode: string; country: string;
  lat: string; lng: string; type: string; isPrimary: boolean; status: string;
};
export type ExternalIdRow = { key: string; system: string; value: string };
export type CustomInput = string | string[];

export type FormState = {
  kind: 'person' | 'organisation';
  givenName: string; familyName: string; preferredName: string; organisationName: string;
  dateOfBirth: string; preferredChannel: '' | ContactChannel; preferredLanguage: string; tags: string;
  customFields: Record<string, CustomInput>;
  emails: EmailRow[]; phones: PhoneRow[]; addresses: AddressRow[]; externalIds: ExternalIdRow[];
};

export const newEmail = (isPrimary = false): EmailRow => ({ key: key(), email: '', type: 'personal', isPrimary, status: 'valid' });
export const newPhone = (isPrimary = false): PhoneRow => ({ key: key(), number: '', type: 'mobile', isPrimary, status: 'valid' });
export const newAddress = (isPrimary = false): AddressRow => ({
  key: key(), line1: '', line2: '', locality: '', postcode: '', country: '', lat: '', lng: '', type: 'home', isPrimary, status: 'valid',
});
export const newExternalId = (): ExternalIdRow => ({ key: key(), system: '', value: '' });

export function emptyForm(): FormState {
  return {
    kind: 'person', givenName: '', familyName: '', preferredName: '', organisationName: '', dateOfBirth: '',
    preferredChannel: '', preferredLanguage: '', tags: '', customFields: {},
    emails: [newEmail(true)], phones: [newPhone(true)], addresses: [newAddress(true)], externalIds: [],
  };
}

function customInput(def: CustomFieldDefinition, value: unknown): CustomInput {
  if (def.type === 'multi_choice') return Array.isArray(value) ? value.map(String) : [];
  return value === null || value === undefined ? '' : String(value);
}

export function formFromConstituent(c: Constituent, defs: readonly CustomFieldDefinition[]): FormState {
  return {
    kind: c.kind,
    givenName: c.givenName ?? '', familyName: c.familyName ?? '', preferredName: c.preferredName ?? '',
    organisationName: c.organisationName ?? '', dateOfBirth: c.dateOfBirth ?? '',
    preferredChannel: c.preferredChannel ?? '', preferredLanguage: c.preferredLanguage ?? '',
    tags: c.tags.join(', '),
    customFields: Object.fromEntries(defs.map((d) => [d.key, customInput(d, c.customFields[d.key])])),
    emails: c.emails.map((e) => ({ key: key(), email: e.email, type: e.type, isPrimary: e.isPrimary, status: e.status })),
    phones: c.phones.map((p) => ({ key: key(), number: p.display || p.number, type: p.type, isPrimary: p.isPrimary, status: p.status })),
    addresses: c.addresses.map((a) => ({
      key: key(), line1: a.line1, line2: a.line2 ?? '', locality: a.locality ?? '', postcode: a.postcode ?? '', country: a.country ?? '',
      lat: a.lat == null ? '' : String(a.lat), lng: a.lng == null ? '' : String(a.lng), type: a.type, isPrimary: a.isPrimary, status: a.status,
    })),
    externalIds: c.externalIds.map((x) => ({ key: key(), system: x.system, value: x.value })),
  };
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

function coordinate(s: string): number | string | null {
  if (!s.trim()) return null;
  const n = Number(s.trim());
  // A non-number is sent as text so the contract reports it against the right field.
  return Number.isFinite(n) ? n : s;
}

function customValue(def: CustomFieldDefinition, input: CustomInput | undefined): unknown {
  if (def.type === 'multi_choice') return Array.isArray(input) ? input : [];
  const s = typeof input === 'string' ? input.trim() : '';
  if (!s) return null;
  if (def.type === 'number') return Number.isFinite(Number(s)) ? Number(s) : s;
  return s;
}

/** Which form row each body row came from (blank rows are left out), per list. */
export type RowMap = Record<'emails' | 'phones' | 'addresses' | 'externalIds', number[]>;

function keep<T>(rows: T[], isBlank: (r: T) => boolean): { rows: T[]; map: number[] } {
  const map: number[] = [];
  const kept = rows.filter((r, i) => {
    if (isBlank(r)) return false;
    map.push(i);
    return true;
  });
  return { rows: kept, map };
}

export function toBody(s: FormState, defs: readonly CustomFieldDefinition[], original: Constituent | null) {
  const isPerson = s.kind === 'person';
  const emails = keep(s.emails, (e) => !e.email.trim());
  const phones = keep(s.phones, (p) => !p.number.trim());
  const addresses = keep(s.addresses, (a) => ![a.line1, a.line2, a.locality, a.postcode, a.country, a.lat, a.lng].some((v) => v.trim()));
  const externalIds = keep(s.externalIds, (x) => !x.system.trim() && !x.value.trim());
  // Values of retired fields are kept as they were; the form only shows current fields.
  const customFields: Record<string, unknown> = { ...(original?.customFields ?? {}) };
  for (const d of defs) if (!d.retired) customFields[d.key] = customValue(d, s.customFields[d.key]);
  const tags = [...new Set(s.tags.split(',').map((t) => t.trim()).filter(Boolean))];
  const body = {
    kind: s.kind,
    givenName: isPerson ? orNull(s.givenName) : null,
    familyName: isPerson ? orNull(s.familyName) : null,
    preferredName: isPerson ? orNull(s.preferredName) : null,
    organisationName: isPerson ? null : orNull(s.organisationName),
    dateOfBirth: isPerson ? orNull(s.dateOfBirth) : null,
    preferredChannel: s.preferredChannel || null,
    preferredLanguage: orNull(s.preferredLanguage),
    tags,
    customFields,
    emails: emails.rows.map(({ email, type, isPrimary, status }) => ({ email, type, isPrimary, status })),
    phones: phones.rows.map(({ number, type, isPrimary, status }) => ({ number, type, isPrimary, status })),
    addresses: addresses.rows.map((a) => ({
      line1: a.line1, line2: orNull(a.line2), locality: orNull(a.locality), postcode: orNull(a.postcode), country: orNull(a.country),
      lat: coordinate(a.lat), lng: coordinate(a.lng), type: a.type, isPrimary: a.isPrimary, status: a.status,
    })),
    externalIds: externalIds.rows.map(({ system, value }) => ({ system, value })),
  };
  const rowMap: RowMap = { emails: emails.map, phones: phones.map, addresses: addresses.map, externalIds: externalIds.map };
  return { body, rowMap };
}

/** "emails.2.email" in the body → "emails.4.email" in the form, when blank rows were skipped. */
export function toFormPath(path: string, rowMap: RowMap): string {
  const m = /^(emails|phones|addresses|externalIds)\.(\d+)(.*)$/.exec(path);
  if (!m) return path;
  const row = rowMap[m[1] as keyof RowMap][Number(m[2])];
  return row === undefined ? path : `${m[1]}.${row}${m[3]}`;
}

export function formErrors(errors: FieldErrors, rowMap: RowMap): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(errors)) {
    const p = toFormPath(path, rowMap);
    if (!(p in out)) out[p] = message;
  }
  return out;
}
