// The area alerts form as the browser posts it (application/x-www-form-urlencoded: every value a
// string), and what each problem is called in the portal's catalogues. Every field is checked
// and reported at once, in the form's order.
import { z } from 'zod';
import { blank } from '../../../contract/web-intake.js';
import { FormProblems, type Issue } from '../portal/portal.forms.js';

export const RADII = [200, 500, 1000, 2000] as const;
export const FREQUENCIES = ['immediate', 'daily'] as const;
export const ADDRESS_MAX = 200;
const ticked = z.preprocess((v) => v === 'yes' || v === 'on', z.boolean());
const optionalId = z.preprocess(blank, z.uuid().optional());

export const ZAlertForm = z.object({
  email: z.preprocess(blank, z.string().trim().toLowerCase().max(320).pipe(z.email())),
  area: z.enum(['ward', 'address']),
  wardId: optionalId,
  address: z.preprocess(blank, z.string().trim().max(ADDRESS_MAX).optional()),
  addressId: optionalId,
  radius: z.preprocess((v) => (typeof v === 'string' && v ? Number(v) : v), z.union(RADII.map((r) => z.literal(r)) as [z.ZodLiteral<200>, z.ZodLiteral<500>, z.ZodLiteral<1000>, z.ZodLiteral<2000>]).optional()),
  categoryId: optionalId,
  frequency: z.enum(FREQUENCIES),
  consent: ticked.refine((v) => v),
  formToken: z.string().max(200),
}).superRefine((f, ctx) => {
  if (f.area === 'ward' && !f.wardId) ctx.addIssue({ code: 'custom', path: ['wardId'], message: 'choose a ward' });
  if (f.area === 'address' && !f.address) ctx.addIssue({ code: 'custom', path: ['address'], message: 'enter an address' });
  if (f.area === 'address' && !f.radius) ctx.addIssue({ code: 'custom', path: ['radius'], message: 'choose a distance' });
});
export type AlertForm = z.infer<typeof ZAlertForm>;

export const ALERT_FIELDS = ['email', 'area', 'wardId', 'address', 'addressId', 'radius', 'categoryId', 'frequency', 'consent'] as const;
export type AlertValues = Partial<Record<(typeof ALERT_FIELDS)[number], string>>;

const KEYS: Record<string, string> = {
  email: 'alerts.error.email', area: 'alerts.error.area', wardId: 'alerts.error.ward', address: 'alerts.error.address', radius: 'alerts.error.radius',
  categoryId: 'alerts.error.category', frequency: 'alerts.error.frequency', consent: 'alerts.error.consent',
};
const ORDER = ['email', 'area', 'wardId', 'address', 'radius', 'categoryId', 'frequency', 'consent'];

/** The problems, one per field in the form's order (the tokens' problem asks to send it again). */
export function inOrder(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => (seen.has(i.field) ? false : (seen.add(i.field), true)))
    .sort((a, b) => (ORDER.indexOf(a.field) + 99) % 100 - (ORDER.indexOf(b.field) + 99) % 100);
}

/** The body parsed, or FormProblems naming every field that is wrong. */
export function parseAlertForm(body: unknown): AlertForm {
  const raw = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const r = ZAlertForm.safeParse(raw);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i): Issue => {
    const field = String(i.path[0] ?? '');
    return KEYS[field] ? { field, key: KEYS[field] } : { field: 'email', key: 'error.form.retry' };
  });
  // zod skips the checks across fields while a field is invalid: the resident hears of every problem at once.
  if (raw.area === 'ward' && blank(raw.wardId) === undefined) issues.push({ field: 'wardId', key: KEYS.wardId! });
  if (raw.area === 'address' && blank(raw.address) === undefined) issues.push({ field: 'address', key: KEYS.address! });
  if (raw.area === 'address' && blank(raw.radius) === undefined) issues.push({ field: 'radius', key: KEYS.radius! });
  throw new FormProblems(inOrder(issues));
}

/** Following one public report: the email address to tell of its status changes, and consent. */
export const ZFollowForm = z.object({
  email: ZAlertForm.shape.email,
  consent: ZAlertForm.shape.consent,
  formToken: ZAlertForm.shape.formToken,
});
export type FollowForm = z.infer<typeof ZFollowForm>;

/** The follow form's body parsed, or FormProblems for its fields. */
export function parseFollowForm(body: unknown): FollowForm {
  const r = ZFollowForm.safeParse(body ?? {});
  if (r.success) return r.data;
  throw new FormProblems(inOrder(r.error.issues.map((i): Issue => {
    const field = String(i.path[0] ?? '');
    return field === 'email' || field === 'consent' ? { field, key: KEYS[field]! } : { field: 'email', key: 'error.form.retry' };
  })));
}
