// Reading Open311 form posts (application/x-www-form-urlencoded): a report for POST requests
// and an update for POST servicerequestupdates. Pure: the same parse runs when the post is
// checked at the door and when the stored raw body is read by the intake job. Empty
// parameters count as absent, as the specification asks.
import type { Open311Attribute } from '../../../contract/open311.js';
import { normalizeEmail, normalizePhone } from '../constituents/constituents.normalize.js';
import { Open311Error } from './open311.format.js';

export const MAX_DESCRIPTION = 4_000;

/** Every value of every key, in order (attribute[CODE][] repeats). */
export type Form = Map<string, string[]>;

export function parseForm(body: string): Form {
  const form: Form = new Map();
  for (const [k, v] of new URLSearchParams(body)) {
    if (v.trim() === '') continue;
    form.set(k, [...(form.get(k) ?? []), v]);
  }
  return form;
}

/** The post as stored: every parameter but api_key, re-serialised (the same for the same post). */
export function storedForm(body: string): string {
  const params = new URLSearchParams(body);
  params.delete('api_key');
  return params.toString();
}

/** One value of a parameter, trimmed; absent when empty. */
export function one(form: Form, key: string, max: number): string | undefined {
  const v = form.get(key)?.[0]?.trim();
  if (v === undefined || v === '') return undefined;
  if (v.length > max) throw new Open311Error(400, `${key} is longer than ${max} characters`);
  return v;
}

function num(form: Form, key: string, min: number, max: number): number | undefined {
  const v = one(form, key, 40);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!/^[+-]?\d+(\.\d+)?$/.test(v) || !Number.isFinite(n) || n < min || n > max) throw new Open311Error(400, `${key} must be a number from ${min} to ${max}`);
  return n;
}

export type AttributeAnswer = { code: string; values: string[] };

export type Report = {
  serviceCode: string;
  lat: number | null;
  lng: number | null;
  addressString: string | null;
  addressId: string | null;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  deviceId: string | null;
  accountId: string | null;
  description: string | null;
  mediaUrl: string | null;
  attributes: AttributeAnswer[];
};

/** The same rule as every other email address the office keeps (constituents.normalize). */
function email(form: Form): string | null {
  const v = one(form, 'email', 254);
  if (v === undefined) return null;
  const r = normalizeEmail(v);
  if (!r.ok) throw new Open311Error(400, 'email is not an email address');
  return r.email;
}

function phone(form: Form, region: string): string | null {
  const v = one(form, 'phone', 40);
  if (v === undefined) return null;
  const r = normalizePhone(v, region);
  if (!r.ok) throw new Open311Error(400, `phone ${r.reason}`);
  return r.e164;
}

function mediaUrl(form: Form): string | null {
  const v = one(form, 'media_url', 2000);
  if (v === undefined) return null;
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new Open311Error(400, 'media_url is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Open311Error(400, 'media_url must be an http or https URL');
  return url.toString();
}

/** attribute[CODE] and attribute[CODE][] answers, by code as sent. */
function attributeAnswers(form: Form): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, values] of form) {
    const m = /^attribute\[([^\]]{1,100})\](\[\])?$/.exec(key);
    if (!m) continue;
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), ...values.map((v) => v.trim()).filter(Boolean)]);
  }
  return out;
}

/** Checks the answers against the service definition: required ones given, list values known, types right. */
export function checkAttributes(form: Form, definition: readonly Open311Attribute[]): AttributeAnswer[] {
  const given = attributeAnswers(form);
  const byCode = new Map(definition.map((a) => [a.code, a]));
  for (const code of given.keys()) {
    if (!byCode.get(code)?.variable) throw new Open311Error(400, `attribute[${code}] is not an attribute of this service`);
  }
  const answers: AttributeAnswer[] = [];
  for (const a of [...definition].sort((x, y) => x.order - y.order)) {
    if (!a.variable) continue;
    const values = given.get(a.code) ?? [];
    if (!values.length) {
      if (a.required) throw new Open311Error(400, `attribute[${a.code}] is required: ${a.description}`);
      continue;
    }
    if (a.datatype !== 'multivaluelist' && values.length > 1) throw new Open311Error(400, `attribute[${a.code}] takes one value`);
    const v = values[0]!;
    switch (a.datatype) {
      case 'singlevaluelist':
      case 'multivaluelist': {
        const keys = new Set(a.values.map((x) => x.key));
        const bad = values.find((x) => !keys.has(x));
        if (bad !== undefined) throw new Open311Error(400, `attribute[${a.code}] must be one of ${a.values.map((x) => x.key).join(', ')} (got "${bad.slice(0, 100)}")`);
        break;
      }
      case 'number':
        if (!/^[+-]?\d+(\.\d+)?$/.test(v)) throw new Open311Error(400, `attribute[${a.code}] must be a number`);
        break;
      case 'datetime':
        if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v))) {
          throw new Open311Error(400, `attribute[${a.code}] must be an ISO 8601 date and time`);
        }
        break;
      case 'string':
        if (v.length > 1000) throw new Open311Error(400, `attribute[${a.code}] is longer than 1000 characters`);
        break;
      case 'text':
        if (v.length > MAX_DESCRIPTION) throw new Open311Error(400, `attribute[${a.code}] is longer than ${MAX_DESCRIPTION} characters`);
        break;
    }
    answers.push({ code: a.code, values: a.datatype === 'multivaluelist' ? [...new Set(values)] : [v] });
  }
  return answers;
}

/** The report's own fields; the service's attributes are checked separately (checkAttributes). */
export function readReport(form: Form, region: string): Omit<Report, 'attributes'> {
  const serviceCode = one(form, 'service_code', 100);
  if (!serviceCode) throw new Open311Error(400, 'service_code is required');
  const lat = num(form, 'lat', -90, 90) ?? null;
  const lng = num(form, 'long', -180, 180) ?? null;
  if ((lat === null) !== (lng === null)) throw new Open311Error(400, 'lat and long must be given together');
  const addressString = one(form, 'address_string', 500) ?? null;
  const addressId = one(form, 'address_id', 200) ?? null;
  if (lat === null && !addressString && !addressId) throw new Open311Error(400, 'A location is required: lat and long, address_string or address_id');
  return {
    serviceCode, lat, lng, addressString, addressId,
    email: email(form), phone: phone(form, region),
    firstName: one(form, 'first_name', 100) ?? null, lastName: one(form, 'last_name', 100) ?? null,
    deviceId: one(form, 'device_id', 200) ?? null, accountId: one(form, 'account_id', 200) ?? null,
    description: one(form, 'description', MAX_DESCRIPTION) ?? null,
    mediaUrl: mediaUrl(form),
  };
}

export type Update = {
  serviceRequestId: string;
  description: string;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  accountId: string | null;
  mediaUrl: string | null;
  updatedAt: string | null;
};

/** FixMyStreet's POST servicerequestupdates: a comment on a request (a status it asks for is not applied). */
export function readUpdate(form: Form, region: string): Update {
  const serviceRequestId = one(form, 'service_request_id', 100);
  if (!serviceRequestId) throw new Open311Error(400, 'service_request_id is required');
  const description = one(form, 'description', MAX_DESCRIPTION);
  if (!description) throw new Open311Error(400, 'description is required');
  return {
    serviceRequestId, description, email: email(form), phone: phone(form, region),
    firstName: one(form, 'first_name', 100) ?? null, lastName: one(form, 'last_name', 100) ?? null,
    accountId: one(form, 'account_id', 200) ?? null, mediaUrl: mediaUrl(form),
    updatedAt: one(form, 'updated_datetime', 40) ?? null,
  };
}

export const nameOf = (r: { firstName: string | null; lastName: string | null }) => [r.firstName, r.lastName].filter(Boolean).join(' ') || null;
