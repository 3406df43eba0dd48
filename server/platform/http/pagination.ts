// Opaque cursors for keyset pagination: base64url JSON of the sort key of the last row.
import { z } from 'zod';
import { DomainError } from '../errors.js';

export const ZPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends z.ZodTypeAny>(cursor: string | undefined, shape: T): z.infer<T> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new DomainError('invalid_cursor', { field: 'cursor', message: 'The cursor is not one this API issued' });
  }
  const parsed = shape.safeParse(raw);
  if (!parsed.success) throw new DomainError('invalid_cursor', { field: 'cursor', message: 'The cursor is not one this API issued' });
  return parsed.data;
}

/** Takes limit+1 rows, returns the page and the cursor for the next one. */
export function page<Row>(rows: Row[], limit: number, keyOf: (row: Row) => (string | number)[]): { items: Row[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
