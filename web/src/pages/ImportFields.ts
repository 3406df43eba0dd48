// The fields a CSV column can fill in the import wizard, a first guess from each column's
// name, and the last import's choices remembered for columns of the same name.
import type { CustomFieldDefinition, ImportMappingInput } from '../../../contract/index.js';

export type FieldOption = { value: string; label: string };
export type FieldGroup = { label: string; options: FieldOption[] };

export const EXTERNAL_ID = 'externalId';

export function fieldGroups(custom: CustomFieldDefinition[]): FieldGroup[] {
  const groups: FieldGroup[] = [
    { label: 'Name', options: [
      { value: 'givenName', label: 'Given name' }, { value: 'familyName', label: 'Family name' }, { value: 'preferredName', label: 'Preferred name' },
      { value: 'organisationName', label: 'Organisation name' }, { value: 'kind', label: 'Kind (person or organisation)' },
    ] },
    { label: 'Contact', options: [
      { value: 'email', label: 'Email' }, { value: 'email:work', label: 'Work email' }, { value: 'email:other', label: 'Other email' },
      { value: 'phone:mobile', label: 'Mobile phone' }, { value: 'phone:home', label: 'Home phone' }, { value: 'phone:work', label: 'Work phone' },
      { value: 'phone:other', label: 'Other phone' }, { value: 'preferredChannel', label: 'Preferred channel' }, { value: 'preferredLanguage', label: 'Preferred language' },
    ] },
    { label: 'Address', options: [
      { value: 'line1', label: 'Address line 1' }, { value: 'line2', label: 'Address line 2' }, { value: 'locality', label: 'Town or locality' },
      { value: 'postcode', label: 'Postcode' }, { value: 'country', label: 'Country (two letters)' }, { value: 'lat', label: 'Latitude' }, { value: 'lng', label: 'Longitude' },
    ] },
    { label: 'Other', options: [
      { value: 'dateOfBirth', label: 'Date of birth' }, { value: 'tags', label: 'Tags' }, { value: EXTERNAL_ID, label: 'External id (name the system)' },
    ] },
  ];
  const active = custom.filter((f) => !f.retired);
  if (active.length) groups.push({ label: 'Custom fields', options: active.map((f) => ({ value: `custom:${f.key}`, label: f.label })) });
  return groups;
}

const GUESSES: [RegExp, string][] = [
  [/^(given|first|forename|firstname|givenname)s?$/, 'givenName'],
  [/^(last|surname|family|lastname|familyname)$/, 'familyName'],
  [/^(preferred|nickname|knownas|preferredname)$/, 'preferredName'],
  [/^(organi[sz]ation|company|org|organi[sz]ationname|business)$/, 'organisationName'],
  [/^(e?mail|emailaddress)$/, 'email'],
  [/^workemail$/, 'email:work'],
  [/^(mobile|cell|mobilephone|mobilenumber)$/, 'phone:mobile'],
  [/^(phone|telephone|tel|homephone|landline)$/, 'phone:home'],
  [/^(address|address1|line1|addressline1|street)$/, 'line1'],
  [/^(address2|line2|addressline2)$/, 'line2'],
  [/^(town|city|locality)$/, 'locality'],
  [/^(postcode|zip|zipcode|postalcode)$/, 'postcode'],
  [/^country$/, 'country'],
  [/^(lat|latitude)$/, 'lat'],
  [/^(lng|lon|long|longitude)$/, 'lng'],
  [/^(dob|dateofbirth|birthdate|born)$/, 'dateOfBirth'],
  [/^(tags?|labels?)$/, 'tags'],
  [/^(language|preferredlanguage)$/, 'preferredLanguage'],
  [/^(channel|preferredchannel)$/, 'preferredChannel'],
];

export type ColumnChoice = { target: string; system: string };

const systemOf = (header: string) => header.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^[^a-z]+|_+$/g, '').slice(0, 40) || 'external';

/** A first guess for a column from its name (voter ids and the like become external ids). */
export function guess(header: string): ColumnChoice {
  const key = header.toLowerCase().replace(/[^a-z0-9]/g, '');
  const hit = GUESSES.find(([re]) => re.test(key));
  if (hit) return { target: hit[1], system: '' };
  if (/(voter|elector|electoral|crm|member|uprn)/.test(key) || /id$/.test(key)) return { target: EXTERNAL_ID, system: /voter|elector/.test(key) ? 'voter_file' : systemOf(header) };
  return { target: 'ignore', system: '' };
}

/** The choices for these headers: the last import's for the same names, else a guess. */
export function initialChoices(headers: string[], previous: ImportMappingInput | null | undefined): ColumnChoice[] {
  return headers.map((h) => {
    const before = previous?.columns[h];
    if (before?.startsWith('externalId:')) return { target: EXTERNAL_ID, system: before.slice('externalId:'.length) };
    if (before) return { target: before, system: '' };
    return guess(h);
  });
}

export function targetOf(choice: ColumnChoice): string {
  return choice.target === EXTERNAL_ID ? `externalId:${choice.system.trim()}` : choice.target;
}
