// Reordering a list of things (rules) from a client: the new order must name every one
// exactly once, so a stale screen cannot drop or duplicate an entry.
import { DomainError } from './errors.js';

export function assertCompleteOrder(ids: string[], known: Set<string>, noun: string): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (!known.has(id)) throw new DomainError('validation_failed', { field: `ids.${i}`, message: `No such ${noun} in this office` });
    if (seen.has(id)) throw new DomainError('validation_failed', { field: `ids.${i}`, message: `This ${noun} is listed twice` });
    seen.add(id);
  });
  if (seen.size !== known.size) throw new DomainError('validation_failed', { field: 'ids', message: `List every ${noun} once (${known.size} in the office, ${seen.size} given)` });
}
