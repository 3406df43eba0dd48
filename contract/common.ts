// Shapes shared by every module's API: ids, pages, problems.
import { z } from 'zod';

export const ZUuid = z.uuid();
export const ZTimestamp = z.iso.datetime({ offset: true });

export const ZProblem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string(),
  instance: z.string().optional(),
  field: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
});
export type Problem = z.infer<typeof ZProblem>;

export function ZPage<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

export const ZIdParams = z.object({ id: ZUuid });

/** A BCP 47 language tag (en, es, cy-GB), read in any case and given back in canonical case. */
export const ZLanguageTag = z
  .string()
  .trim()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en, es or cy-GB')
  .refine((s) => {
    try {
      return Intl.getCanonicalLocales(s).length === 1;
    } catch {
      return false;
    }
  }, 'must be a language tag such as en, es or cy-GB')
  .transform((s) => Intl.getCanonicalLocales(s)[0]!);

/**
 * A timeline built from audit events (a constituent's, a case's): the query (one kind, page
 * size, cursor) and one entry, for the kinds that timeline knows.
 */
export function timelineSchemas<const K extends readonly [string, ...string[]]>(kinds: K) {
  const kind = z.enum(kinds);
  return {
    query: z.object({
      kind: kind.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(500).optional(),
    }),
    entry: z.object({
      id: z.string(),
      kind,
      action: z.string(),
      summary: z.string(),
      actor: z.string(),
      occurredAt: ZTimestamp,
      entityType: z.string(),
      entityId: z.string(),
      before: z.unknown().nullable(),
      after: z.unknown().nullable(),
    }),
  };
}
