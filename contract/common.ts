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
