// Filter values being edited (draft) and the ones applied to the list, for a filter form
// that applies on submit and can be cleared.
import { useState } from 'react';

export function useFilters<F extends Record<string, string>>(empty: F, normalize: (draft: F) => F = (draft) => draft) {
  const [draft, setDraft] = useState<F>(empty);
  const [filters, setFilters] = useState<F>(empty);
  return {
    draft,
    filters,
    edit: (change: Partial<F>) => setDraft({ ...draft, ...change }),
    apply: () => setFilters(normalize(draft)),
    clear: () => {
      setDraft(empty);
      setFilters(empty);
    },
  };
}
