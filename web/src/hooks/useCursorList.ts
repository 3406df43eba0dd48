// A cursor-paginated list ("Load more"): fetches page after page of one endpoint, flattens the
// items and hands <LoadMore> what it needs.
import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';
import type { Page as ApiPage } from '../../../contract/index.js';
import { api, type Query } from '../api/client.js';

/** What <LoadMore> needs besides its noun. */
export type LoadMoreState = { shown: number; hasMore: boolean; isLoading: boolean; onLoadMore: () => void };

export function useCursorList<T>(queryKey: QueryKey, path: string, params: Query) {
  const query = useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam }) => api.get<ApiPage<T>>(path, { ...params, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  const loadMore: LoadMoreState = {
    shown: items.length,
    hasMore: query.hasNextPage,
    isLoading: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
  };
  return { query, items, loadMore };
}
