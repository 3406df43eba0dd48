// Filters kept in the URL (bookmarkable, shareable, Back works) plus the draft being edited
// in the filter form; the URL-backed counterpart of useFilters.
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';

export function useUrlFilters<F extends Record<string, string>>(opts: {
  empty: F;
  fromParams: (params: URLSearchParams) => F;
  /** The URL's parameters for these filters (only those set). */
  toUrl: (f: Partial<F>) => Record<string, string>;
  /** The API's parameters, when they differ from the URL's. */
  toApi?: (f: F) => Record<string, string>;
}) {
  const { empty, fromParams, toUrl, toApi = toUrl } = opts;
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // The query string is the identity of the filters (the params object changes every render).
  const applied = useMemo(() => fromParams(new URLSearchParams(search)), [search]);
  const [draft, setDraft] = useState(applied);
  // Back, Forward or a link changed the URL: the form shows what is applied.
  useEffect(() => setDraft(applied), [applied]);
  return {
    draft,
    applied,
    apiQuery: useMemo(() => toApi(applied), [applied]),
    edit: (change: Partial<F>) => setDraft((d) => ({ ...d, ...change })),
    apply: () => setParams(toUrl(draft)),
    /** Replaces every filter (a saved view, "My work"). */
    show: (f: Partial<F>) => setParams(toUrl(f)),
    clear: () => {
      setDraft(empty);
      setParams({});
    },
  };
}
