// Normalisation of contact points, shared by forms, the API, CSV import and search:
// phones to E.164 with the office's default region, emails to lower case.
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString as parseWithKinds } from 'libphonenumber-js/max';
import { z } from 'zod';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

/** Parses a phone number written any way people write them. */
export function normalizePhone(raw: string, defaultRegion: string): PhoneResult {
  const text = raw.trim();
  if (!/\d/.test(text)) return { ok: false, reason: 'is not a phone number' };
  const parsed = parsePhoneNumberFromString(text.replace(/^00/, '+'), defaultRegion.toUpperCase() as CountryCode);
  if (!parsed) return { ok: false, reason: 'is not a phone number' };
  // "possible" (right length for the country) rather than "valid": allocation tables lag
  // behind real numbering, and a CRM must not refuse a working number.
  if (!parsed.isPossible()) return { ok: false, reason: `is not a possible ${parsed.country ?? defaultRegion.toUpperCase()} phone number` };
  return { ok: true, e164: parsed.number };
}

// Kinds of number that take no text messages (the full metadata knows each range's kind).
const UNTEXTABLE = new Set(['FIXED_LINE', 'TOLL_FREE', 'PREMIUM_RATE', 'SHARED_COST', 'UAN', 'VOICEMAIL']);

/**
 * Whether a number (E.164) may take text messages: anything but a known landline or service
 * number. A number of no known kind passes, as allocation tables lag behind real numbering.
 */
export function mayTakeTexts(e164: string): boolean {
  const kind = parseWithKinds(e164)?.getType();
  return !kind || !UNTEXTABLE.has(kind);
}

/** How staff read a stored number: national format at home, international otherwise. */
export function displayPhone(e164: string, defaultRegion: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  // Compare calling codes: numbers in reserved or new ranges have no country of their own.
  const home = getCountryCallingCode(defaultRegion.toUpperCase() as CountryCode);
  return parsed.countryCallingCode === home ? parsed.formatNational() : parsed.formatInternational();
}

const ZEmailText = z.email();

export type EmailResult = { ok: true; email: string } | { ok: false; reason: string };

export function normalizeEmail(raw: string): EmailResult {
  const email = raw.trim().toLowerCase();
  if (email.length > 320 || !ZEmailText.safeParse(email).success) return { ok: false, reason: 'is not a valid email address' };
  return { ok: true, email };
}

/** Folds a name or search text the way the database's civitas_fold() does. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export function postcodeKey(postcode: string): string {
  return postcode.replace(/[^A-Za-z0-9]/g, '').toUpperCase();
}
