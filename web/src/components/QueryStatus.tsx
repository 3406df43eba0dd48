// What a loading list says: loading, the error (unless the page shows it another way) and,
// once loaded, that it is empty.
import type { ReactNode } from 'react';
import { ErrorText } from './ErrorText.js';

export type QueryState = { isPending: boolean; isError: boolean; error: unknown };

export function QueryStatus({
  query,
  loading,
  isEmpty = false,
  empty,
  showError = true,
}: {
  query: QueryState;
  loading: string;
  isEmpty?: boolean;
  empty?: ReactNode;
  showError?: boolean;
}) {
  return (
    <>
      {query.isPending ? <p role="status">{loading}</p> : null}
      {showError && query.isError ? <ErrorText error={query.error} /> : null}
      {isEmpty ? <p>{empty}</p> : null}
    </>
  );
}
