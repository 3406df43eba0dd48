// One CSV row through the plan: each mapped cell checked with zod and the registry's
// normalisers (E.164 phones in the office's region, lower-case emails), giving either the
// record to upsert or every problem of the row (column and reason). Empty cells mean "not
// given": they never clear a value already on record.
import { z } from 'zod';
import { ZContactChannel, ZTag } from '../../../contract/constituents.js';
import { normalizeEmail } from '../constituents/constituents.normalize.js';
import { checkValue, type CustomValue } from '../constituents/constituents.custom-fields.js';
import type { AddressField, ColumnPlan, ImportPlan, ScalarField } from './imports.mapping.js';
import { normalizePhoneFast } from './imports.phone.js';

export type Scalars = {
  given_name?: string; family_name?: string; preferred_name?: string; organisation_name?: string;
  date_of_birth?: string; preferred_language?: string; preferred_channel?: string;
};
export type ImportAddress = {
  line1: string; line2: string | null; locality: string | null; postcode: string | null; country: string | null;
  lat: number | null; lng: number | null; type: string;
};
export type ImportRecord = {
  row: number;
  /** As written in the file; undefined when the file does not say. */
  kind: 'person' | 'organisation' | undefined;
  scalars: Scalars;
  emails: { email: string; type: string }[];
  phones: { e164: string; type: string }[];
  address: ImportAddress | null;
  tags: string[];
  externalIds: { system: string; value: string; column: string }[];
  custom: Record<string, CustomValue>;
};
export type RowIssue = { column: string; reason: string };
export type MappedRow = { ok: true; record: ImportRecord } | { ok: false; issues: RowIssue[] };

const chars = (n: number) => n.toLocaleString('en-GB');
// A length limit: the zod schema holds the rule and its message; values within the limit
// (nearly all) skip the call, which is most of a row's checking time on a million rows.
type Text = { max: number; schema: z.ZodString };
const text = (max: number): Text => ({
  max,
  schema: z.string().max(max, { error: (iss) => `is ${chars(String(iss.input).length)} characters long; the limit is ${chars(max)}` }),
});
const tooLong = (t: Text, value: string): string | null => (value.length <= t.max ? null : first(t.schema.safeParse(value)));
const ZName = text(200);
const ZLine = text(200);
const ZLocality = text(120);
const ZPostcode = text(20);
const ZExternalValue = text(200);
const ZCustomText = text(2000);
const ZCountry = z.string().regex(/^[A-Za-z]{2}$/, 'must be a two-letter country code such as GB').transform((c) => c.toUpperCase());
const ZLanguage = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en or cy-GB')
  .transform((t) => t.replace(/^[A-Za-z]+/, (p) => p.toLowerCase()));
const coordinate = (max: number, name: string) =>
  z
    .string()
    .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/, `is not a ${name} in decimal degrees`)
    .transform(Number)
    .pipe(z.number().min(-max, `must be between -${max} and ${max} (it is outside the world)`).max(max, `must be between -${max} and ${max} (it is outside the world)`));
const ZLat = coordinate(90, 'latitude');
const ZLng = coordinate(180, 'longitude');
const KINDS: Record<string, 'person' | 'organisation'> = { person: 'person', individual: 'person', organisation: 'organisation', organization: 'organisation', org: 'organisation' };
const CHANNELS: Record<string, string> = { text: 'sms', 'e-mail': 'email', mail: 'post', letter: 'post', telephone: 'phone' };

/** ISO dates always; the mapping's dateFormat (DD/MM/YYYY and the like) as well. */
export function dateParser(format: string | undefined): (value: string) => { date: string } | { error: string } {
  const sep = format?.match(/[/.\- ]/)?.[0];
  const order = format?.split(sep ?? '/') ?? [];
  const custom = format ? new RegExp(`^${order.map((t) => (t === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})')).join(sep === '.' ? '\\.' : sep)}$`) : null;
  const expected = `expected YYYY-MM-DD${format ? ` or ${format}` : ''}`;
  return (value) => {
    let y: number, m: number, d: number;
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const own = iso ? null : custom?.exec(value);
    if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
    else if (own) {
      const part = (t: string) => Number(own[order.indexOf(t) + 1]);
      [y, m, d] = [part('YYYY'), part('MM'), part('DD')];
    } else return { error: `is not a date (${expected})` };
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return { error: `is not a real date (${expected})` };
    return { date: date.toISOString().slice(0, 10) };
  };
}

const EARLIEST_BIRTH = '1850-01-01';

function first(result: z.ZodSafeParseResult<unknown>): string {
  return result.success ? '' : (result.error.issues[0]?.message ?? 'is not valid');
}

type Builder = { record: ImportRecord; issues: RowIssue[]; address: Partial<Record<AddressField, string | number>>; badAddress: boolean };

// Hot path (every cell of every row): plain functions, no closures made per cell.
function fail(b: Builder, c: ColumnPlan, reason: string): void {
  b.issues.push({ column: c.header, reason });
}

const ADDRESS_CHECKS: Record<AddressField, Text | z.ZodType<string | number>> = { line1: ZLine, line2: ZLine, locality: ZLocality, postcode: ZPostcode, country: ZCountry, lat: ZLat, lng: ZLng };

function optionOf(options: string[], v: string): string {
  const lower = v.toLowerCase();
  for (const o of options) if (o.toLowerCase() === lower) return o;
  return v;
}

const SCALAR_COLUMN: Record<Exclude<ScalarField, 'kind'>, keyof Scalars> = {
  givenName: 'given_name', familyName: 'family_name', preferredName: 'preferred_name', organisationName: 'organisation_name',
  dateOfBirth: 'date_of_birth', preferredLanguage: 'preferred_language', preferredChannel: 'preferred_channel',
};

function scalar(b: Builder, c: ColumnPlan & { kind: 'scalar' }, value: string, parseDate: ReturnType<typeof dateParser>, today: string): void {
  switch (c.field) {
    case 'kind': {
      const kind = KINDS[value.toLowerCase()];
      if (kind) b.record.kind = kind;
      else fail(b, c, 'must be person or organisation');
      return;
    }
    case 'dateOfBirth': {
      const r = parseDate(value);
      if ('error' in r) fail(b, c, r.error);
      else if (r.date < EARLIEST_BIRTH || r.date > today) fail(b, c, `is not a plausible date of birth (${r.date}): it must be between ${EARLIEST_BIRTH} and today`);
      else b.record.scalars.date_of_birth = r.date;
      return;
    }
    case 'preferredLanguage': {
      const r = ZLanguage.safeParse(value);
      if (r.success) b.record.scalars.preferred_language = r.data;
      else fail(b, c, first(r));
      return;
    }
    case 'preferredChannel': {
      const lower = value.toLowerCase();
      const r = ZContactChannel.safeParse(CHANNELS[lower] ?? lower);
      if (r.success) b.record.scalars.preferred_channel = r.data;
      else fail(b, c, 'must be email, sms, phone or post');
      return;
    }
    default: {
      const long = tooLong(ZName, value);
      if (long === null) b.record.scalars[SCALAR_COLUMN[c.field]] = value;
      else fail(b, c, long);
    }
  }
}

function address(b: Builder, c: ColumnPlan & { kind: 'address' }, value: string): void {
  const check = ADDRESS_CHECKS[c.field];
  let problem: string | null;
  if ('max' in check) {
    problem = tooLong(check, value);
    if (problem === null) b.address[c.field] = value;
  } else {
    const r = check.safeParse(value);
    problem = r.success ? null : first(r);
    if (r.success) b.address[c.field] = r.data;
  }
  if (problem !== null) {
    b.issues.push({ column: c.header, reason: problem });
    b.badAddress = true;
  }
}

function custom(b: Builder, c: ColumnPlan & { kind: 'custom' }, value: string, plan: ImportPlan, parseDate: ReturnType<typeof dateParser>): void {
  const { def } = c;
  let input: CustomValue = value;
  if (def.type === 'text') {
    const long = tooLong(ZCustomText, value);
    if (long !== null) return fail(b, c, long);
  }
  if (def.type === 'date') {
    const r = parseDate(value);
    if ('error' in r) {
      b.issues.push({ column: c.header, reason: r.error });
      return;
    }
    input = r.date;
  }
  if (def.type === 'choice') input = optionOf(def.options, value);
  if (def.type === 'multi_choice') {
    const list: string[] = [];
    for (const part of value.split(plan.choiceSeparator)) if (part.trim()) list.push(optionOf(def.options, part.trim()));
    input = list;
  }
  const checked = checkValue(def, input);
  if (checked.ok) {
    if (checked.value !== null) b.record.custom[def.key] = checked.value;
  } else b.issues.push({ column: c.header, reason: checked.message });
}

function has<T>(list: T[], key: keyof T, value: unknown): boolean {
  for (const x of list) if (x[key] === value) return true;
  return false;
}

function cell(b: Builder, c: ColumnPlan, value: string, plan: ImportPlan, region: string, parseDate: ReturnType<typeof dateParser>, today: string): void {
  switch (c.kind) {
    case 'scalar': return scalar(b, c, value, parseDate, today);
    case 'address': return address(b, c, value);
    case 'custom': return custom(b, c, value, plan, parseDate);
    case 'email': {
      if (value.length > 320) return fail(b, c, `is ${chars(value.length)} characters long; an email address has at most 320`);
      const r = normalizeEmail(value);
      if (!r.ok) return fail(b, c, r.reason);
      if (!has(b.record.emails, 'email', r.email)) b.record.emails.push({ email: r.email, type: c.type });
      return;
    }
    case 'phone': {
      if (value.length > 40) return fail(b, c, `is ${chars(value.length)} characters long; a phone number has at most 40`);
      const r = normalizePhoneFast(value, region);
      if (!r.ok) return fail(b, c, r.reason);
      if (!has(b.record.phones, 'e164', r.e164)) b.record.phones.push({ e164: r.e164, type: c.type });
      return;
    }
    case 'tags': {
      for (const raw of value.split(plan.tagSeparator)) {
        const tag = raw.trim();
        if (!tag) continue;
        const r = ZTag.safeParse(tag);
        if (!r.success) return fail(b, c, `tag "${tag.slice(0, 40)}${tag.length > 40 ? '…' : ''}" ${first(r)}`);
        if (!b.record.tags.includes(r.data)) b.record.tags.push(r.data);
      }
      if (b.record.tags.length > 100) fail(b, c, `has ${b.record.tags.length} tags; a record has at most 100`);
      return;
    }
    case 'externalId': {
      const long = tooLong(ZExternalValue, value);
      if (long === null) b.record.externalIds.push({ system: c.system, value, column: c.header });
      else fail(b, c, long);
    }
  }
}

function finishAddress(b: Builder, plan: ImportPlan): void {
  const a = b.address;
  if (Object.keys(a).length === 0 || b.badAddress) return;
  const header = (f: AddressField) => plan.columns.find((c) => c.kind === 'address' && c.field === f)?.header ?? f;
  if ((a.lat === undefined) !== (a.lng === undefined)) {
    b.issues.push({ column: header(a.lat === undefined ? 'lat' : 'lng'), reason: 'give both latitude and longitude, or neither' });
    return;
  }
  if (a.line1 === undefined) {
    b.issues.push({ column: header('line1'), reason: 'an address needs its first line' });
    return;
  }
  const s = (v: string | number | undefined) => (v === undefined ? null : String(v));
  b.record.address = {
    line1: String(a.line1), line2: s(a.line2), locality: s(a.locality), postcode: s(a.postcode), country: s(a.country),
    lat: a.lat === undefined ? null : Number(a.lat), lng: a.lng === undefined ? null : Number(a.lng), type: plan.addressType,
  };
}

/** Checks and maps one data row (row numbers count the header as row 1). */
export function rowMapper(plan: ImportPlan, region: string): (fields: string[], row: number) => MappedRow {
  const parseDate = dateParser(plan.dateFormat);
  const today = new Date().toISOString().slice(0, 10);
  return (fields, row) => {
    if (fields.length !== plan.width) {
      return { ok: false, issues: [{ column: '(row)', reason: `has ${fields.length} ${fields.length === 1 ? 'field' : 'fields'}; the header row has ${plan.width}` }] };
    }
    const b: Builder = {
      record: { row, kind: undefined, scalars: {}, emails: [], phones: [], address: null, tags: [], externalIds: [], custom: {} },
      issues: [],
      address: {},
      badAddress: false,
    };
    for (const c of plan.columns) {
      const value = fields[c.index]!.trim();
      if (value === '') continue;
      if (value.includes('\0')) {
        b.issues.push({ column: c.header, reason: 'contains a NUL character, which cannot be stored' });
        continue;
      }
      cell(b, c, value, plan, region, parseDate, today);
    }
    finishAddress(b, plan);
    return b.issues.length ? { ok: false, issues: b.issues } : { ok: true, record: b.record };
  };
}
