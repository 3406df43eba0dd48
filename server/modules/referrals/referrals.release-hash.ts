// What an electronic privacy release proves, and how to check it again later: the exact
// fields the resident's signature covers, as canonical JSON (keys sorted, no whitespace),
// hashed with SHA-256. Verification recomputes the hash from the stored fields.
import { createHash } from 'node:crypto';

/** The fields a signature covers, exactly these and no others. */
export type SignedFields = {
  caseReference: string;
  constituentId: string;
  consentText: string;
  typedName: string;
  /** The date the resident typed, YYYY-MM-DD. */
  signedDate: string;
  ip: string;
  userAgent: string;
  /** When the server recorded the signature (ISO 8601, UTC, milliseconds). */
  signedAt: string;
};

const FIELD_ORDER: (keyof SignedFields)[] = ['caseReference', 'constituentId', 'consentText', 'ip', 'signedAt', 'signedDate', 'typedName', 'userAgent'];

/** Canonical JSON: the fields in sorted key order, strings escaped by JSON.stringify. */
export function canonicalJson(f: SignedFields): string {
  return `{${FIELD_ORDER.map((k) => `${JSON.stringify(k)}:${JSON.stringify(f[k])}`).join(',')}}`;
}

export function contentHash(f: SignedFields): string {
  return createHash('sha256').update(canonicalJson(f), 'utf8').digest('hex');
}

/** A name folded for comparison: accents, case, punctuation and spacing ignored. */
export function foldName(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en')
    .replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

/** Whether the typed name is one of the constituent's names once folded. */
export function namesMatch(typed: string, candidates: (string | null | undefined)[]): boolean {
  const t = foldName(typed);
  return t.length > 0 && candidates.some((c) => c != null && foldName(c) === t);
}
