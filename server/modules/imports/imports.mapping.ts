// A mapping (map.json) checked against a file's header row and the office's custom fields,
// compiled into one plan per column. Anything wrong here is a usage error that stops the
// import before a row is read: a mapped column missing from the file, a file column the
// mapping does not mention, a field mapped twice, an unknown custom field.
import type { CustomFieldDefinition } from '../../../contract/constituents.js';
import type { ImportMapping } from '../../../contract/imports.js';

export const SCALAR_FIELDS = ['givenName', 'familyName', 'preferredName', 'organisationName', 'kind', 'dateOfBirth', 'preferredLanguage', 'preferredChannel'] as const;
export type ScalarField = (typeof SCALAR_FIELDS)[number];
export const ADDRESS_FIELDS = ['line1', 'line2', 'locality', 'postcode', 'country', 'lat', 'lng'] as const;
export type AddressField = (typeof ADDRESS_FIELDS)[number];
export type CustomDef = Pick<CustomFieldDefinition, 'key' | 'label' | 'type' | 'options' | 'isRequired' | 'retired'>;

type Base = { index: number; header: string };
export type ColumnPlan = Base &
  (
    | { kind: 'scalar'; field: ScalarField }
    | { kind: 'email'; type: 'personal' | 'work' | 'other' }
    | { kind: 'phone'; type: 'mobile' | 'home' | 'work' | 'other' }
    | { kind: 'address'; field: AddressField }
    | { kind: 'tags' }
    | { kind: 'externalId'; system: string }
    | { kind: 'custom'; def: CustomDef }
  );

type Target = ColumnPlan extends infer C ? (C extends unknown ? Omit<C, 'index' | 'header'> : never) : never;

export type ImportPlan = {
  /** Every mapped column (ignored ones left out), in file order. */
  columns: ColumnPlan[];
  /** Number of columns in the header row: data rows must have as many. */
  width: number;
  headers: string[];
  dateFormat: string | undefined;
  tagSeparator: string;
  choiceSeparator: string;
  addressType: 'home' | 'work' | 'postal' | 'other';
  /** Required custom fields a new record must have. */
  required: CustomDef[];
};

/** A mapping that cannot work with this file; `field` names the offending part. */
export class MappingError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const quote = (s: string) => `"${s}"`;
const list = (xs: string[], max = 12) => (xs.length > max ? `${xs.slice(0, max).map(quote).join(', ')} and ${xs.length - max} more` : xs.map(quote).join(', '));

function targetOf(target: string, defs: Map<string, CustomDef>, header: string): Target | null {
  if (target === 'ignore') return null;
  if ((SCALAR_FIELDS as readonly string[]).includes(target)) return { kind: 'scalar', field: target as ScalarField };
  if ((ADDRESS_FIELDS as readonly string[]).includes(target)) return { kind: 'address', field: target as AddressField };
  if (target === 'tags') return { kind: 'tags' };
  const [head, arg] = target.split(':') as [string, string | undefined];
  if (/^email\d?$/.test(head)) return { kind: 'email', type: (arg ?? 'personal') as 'personal' };
  if (/^phone\d?$/.test(head)) return { kind: 'phone', type: (arg ?? 'mobile') as 'mobile' };
  if (head === 'externalId') return { kind: 'externalId', system: arg! };
  if (head === 'custom') {
    const def = defs.get(arg!);
    const field = `mapping.columns.${header}`;
    if (!def) throw new MappingError(field, `${target} is not a custom field of this office${defs.size ? ` (its fields: ${list([...defs.keys()])})` : ' (it has none)'}`);
    if (def.retired) throw new MappingError(field, `${target} is a retired custom field`);
    return { kind: 'custom', def };
  }
  throw new MappingError(`mapping.columns.${header}`, `${target} is not a field an import can fill`);
}

/** Which single-valued field a column fills (two columns may not fill the same one). */
function slotOf(c: Target): string | null {
  switch (c.kind) {
    case 'scalar': return c.field;
    case 'address': return c.field;
    case 'externalId': return `externalId:${c.system}`;
    case 'custom': return `custom:${c.def.key}`;
    default: return null; // emails, phones and tags may come from several columns
  }
}

export function compileMapping(mapping: ImportMapping, rawHeaders: string[], customFields: CustomDef[]): ImportPlan {
  const headers = rawHeaders.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const defs = new Map(customFields.map((d) => [d.key, d]));
  const wanted = new Map(Object.entries(mapping.columns).map(([h, t]) => [h.trim(), t]));
  const positions = new Map<string, number[]>();
  headers.forEach((h, i) => positions.set(h, [...(positions.get(h) ?? []), i]));

  const missing = [...wanted.keys()].filter((h) => !positions.has(h));
  if (missing.length) {
    throw new MappingError(`mapping.columns.${missing[0]}`, `The file has no column ${list(missing)}; its columns are ${list(headers.filter(Boolean), 30)}`);
  }
  const unmapped = headers.map((h, i) => ({ h, i })).filter(({ h }) => !wanted.has(h));
  if (mapping.unmapped === 'error' && unmapped.length) {
    const names = unmapped.map(({ h, i }) => h || `(column ${i + 1}, no name)`);
    throw new MappingError('mapping.columns', `The mapping does not say what to do with ${names.length === 1 ? 'column' : 'columns'} ${list(names)}: map ${names.length === 1 ? 'it' : 'them'} to a field or to "ignore", or set "unmapped": "ignore"`);
  }

  const columns: ColumnPlan[] = [];
  const slots = new Map<string, string>();
  for (const [header, target] of wanted) {
    const at = positions.get(header)!;
    if (at.length > 1) throw new MappingError(`mapping.columns.${header}`, `The file has ${at.length} columns named ${quote(header)} (columns ${at.map((i) => i + 1).join(', ')}); rename them so each name is used once`);
    const t = targetOf(target, defs, header);
    if (!t) continue;
    const slot = slotOf(t);
    if (slot) {
      const other = slots.get(slot);
      if (other !== undefined) throw new MappingError(`mapping.columns.${header}`, `${slot} is mapped from both ${quote(other)} and ${quote(header)}`);
      slots.set(slot, header);
    }
    columns.push({ ...t, index: at[0]!, header } as ColumnPlan);
  }
  columns.sort((a, b) => a.index - b.index);

  if (!['givenName', 'familyName', 'organisationName'].some((f) => slots.has(f)) && !columns.some((c) => c.kind === 'externalId')) {
    throw new MappingError('mapping.columns', 'Map a name column (givenName, familyName or organisationName), or an externalId column to update people already on record');
  }
  if (slots.has('lat') !== slots.has('lng')) throw new MappingError('mapping.columns', 'Map both lat and lng, or neither');
  if (columns.some((c) => c.kind === 'address') && !slots.has('line1')) throw new MappingError('mapping.columns', 'An address needs a line1 column: map one, or map the other address columns to "ignore"');

  return {
    columns,
    width: headers.length,
    headers,
    dateFormat: mapping.dateFormat,
    tagSeparator: mapping.tagSeparator,
    choiceSeparator: mapping.choiceSeparator,
    addressType: mapping.addressType,
    required: customFields.filter((d) => d.isRequired && !d.retired),
  };
}
