// A cursor-paginated list shown as a table: loading, error and empty notices, the table of
// what has been loaded so far, and "Load more".
import type { ReactNode } from 'react';
import type { LoadMoreState } from '../hooks/useCursorList.js';
import { DataTable } from './DataTable.js';
import { LoadMore } from './LoadMore.js';
import { QueryStatus, type QueryState } from './QueryStatus.js';

export function PagedTable<T>({
  list,
  noun,
  loading,
  empty,
  showError = true,
  id,
  caption,
  columns,
  className,
  renderRow,
}: {
  list: { query: QueryState & { isSuccess: boolean }; items: T[]; loadMore: LoadMoreState };
  noun: string;
  loading: string;
  empty: ReactNode;
  showError?: boolean;
  id: string;
  caption: ReactNode;
  columns: (string | false)[];
  className?: string;
  renderRow: (item: T) => ReactNode;
}) {
  const { query, items } = list;
  return (
    <>
      <QueryStatus query={query} loading={loading} showError={showError} isEmpty={query.isSuccess && items.length === 0} empty={empty} />
      {items.length ? (
        <DataTable id={id} caption={caption} columns={columns} className={className}>
          {items.map(renderRow)}
        </DataTable>
      ) : null}
      <LoadMore noun={noun} {...list.loadMore} />
    </>
  );
}
