// What the portal tells a resident about a form's problems: each zod issue or domain error
// becomes a message key of the catalogues (with its values) and the id of the field it is
// about, so the page can list it at the top, link to the field and show it beside the field.
import type { z } from 'zod';
import { DomainError } from '../../platform/errors.js';
import type { Values } from './portal.i18n.js';

export type Issue = { field: string; key: string; values?: Values };

/** Thrown by the portal's services for problems the resident can fix: the form is shown again with them. */
export class FormProblems extends Error {
  constructor(readonly issues: Issue[]) {
    super(issues.map((i) => `${i.field}: ${i.key}`).join('; '));
  }
}

const tooLong = (issue: z.core.$ZodIssue): Issue | null =>
  issue.code === 'too_big' ? { field: String(issue.path[0]), key: 'error.text.tooLong', values: { max: Number(issue.maximum) } } : null;

/** The report form's issue for a zod issue; unknown fields (the tokens, the honeypot) ask to send it again. */
function reportIssue(issue: z.core.$ZodIssue): Issue {
  const field = String(issue.path[0] ?? '');
  const long = tooLong(issue);
  switch (field) {
    case 'name': return long ?? { field, key: 'error.name.required' };
    case 'email': return long ?? { field, key: issue.code === 'custom' ? 'error.contact.required' : 'error.email.invalid' };
    case 'phone': return long ?? { field, key: 'error.phone.invalid' };
    case 'description': return long ?? { field, key: 'error.description.required' };
    case 'address': return long ?? { field, key: 'error.location.invalid' };
    case 'lat': case 'lng': return { field: 'address', key: 'error.location.invalid' };
    case 'categoryId': return { field, key: 'error.category.invalid' };
    case 'consent': return { field, key: 'error.consent.required' };
    case 'preferredChannel': return { field, key: (issue as { params?: { need?: string } }).params?.need === 'sms' ? 'error.channel.sms' : 'error.channel.email' };
    default: return { field: 'categoryId', key: 'error.form.retry' };
  }
}

const lookupIssue = (issue: z.core.$ZodIssue): Issue => {
  const field = String(issue.path[0] ?? '');
  if (field === 'reference') return { field, key: 'error.reference.invalid' };
  if (field === 'contact') return { field, key: 'error.lookupContact.required' };
  return { field: 'reference', key: 'error.form.retry' };
};

const commentIssue = (issue: z.core.$ZodIssue): Issue =>
  String(issue.path[0]) === 'text' ? tooLong(issue) ?? { field: 'text', key: 'error.comment.required' } : { field: 'text', key: 'error.form.retry' };

/** One issue per field, in the form's order. */
function firstPerField(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)));
}

const REPORT_ORDER = ['categoryId', 'description', 'address', 'photos', 'name', 'email', 'phone', 'preferredChannel', 'consent'];
const isBlank = (v: unknown) => typeof v !== 'string' || v.trim() === '';

/**
 * The report's checks across fields, made on the raw body too: zod skips an object's
 * refinements while a field is invalid, and the resident should hear of every problem at once.
 */
function reportCrossChecks(body: Record<string, unknown>): Issue[] {
  return [
    ...(isBlank(body.email) && isBlank(body.phone) ? [{ field: 'email', key: 'error.contact.required' }] : []),
    ...(body.consent !== 'yes' && body.consent !== 'on' ? [{ field: 'consent', key: 'error.consent.required' }] : []),
  ];
}

const FORMS = {
  report: { issueOf: reportIssue, crossChecks: reportCrossChecks, order: REPORT_ORDER },
  lookup: { issueOf: lookupIssue, crossChecks: () => [], order: ['reference', 'contact'] },
  comment: { issueOf: commentIssue, crossChecks: () => [], order: ['text', 'photos'] },
} satisfies Record<string, { issueOf: (i: z.core.$ZodIssue) => Issue; crossChecks: (b: Record<string, unknown>) => Issue[]; order: string[] }>;

/** The body parsed by the form's schema, or FormProblems with one problem per field in the form's order. */
export function parseForm<T>(schema: z.ZodType<T>, form: keyof typeof FORMS, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (r.success) return r.data;
  const f = FORMS[form];
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  throw new FormProblems(inFormOrder(form, [...r.error.issues.map(f.issueOf), ...f.crossChecks(raw)]));
}

/** One issue per field, in the form's order (fields it does not list last). */
export function inFormOrder(form: keyof typeof FORMS, issues: Issue[]): Issue[] {
  const order: string[] = FORMS[form].order;
  // A topic's questions (ids q0, q1-0…) come after the photos, as on the form.
  const rank = (i: Issue) => (/^q\d/.test(i.field) ? order.indexOf('photos') + 0.5 : (order.indexOf(i.field) + order.length + 1) % (order.length + 1));
  return firstPerField(issues).sort((a, b) => rank(a) - rank(b));
}

/** A domain error about a field of the report (from intake's checks) as the resident's problem; anything else passes on. */
export function reportProblem(err: unknown, anchor: string): never {
  if (err instanceof DomainError && (err.code === 'validation_failed' || err.code === 'conflict')) {
    const key = err.code === 'conflict' ? 'error.form.resent'
      : err.field === 'phone' ? 'error.phone.invalid'
        : err.field === 'categoryId' ? 'error.category.invalid'
          : err.field === 'lat' ? 'error.location.outside'
            : 'error.form.retry';
    const field = err.field === 'phone' || err.field === 'categoryId' ? err.field : err.field === 'lat' ? 'address' : anchor;
    throw new FormProblems([{ field, key }]);
  }
  throw err;
}
