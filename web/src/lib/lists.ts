import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type ApiPath, type Query } from '../api/client';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A list endpoint (newest first, cursor paging, SPEC §1) page by page: `more()` asks for the next. */
export function useList<T>(path: ApiPath, query: Query, pageSize = 50) {
  const q = useInfiniteQuery({
    queryKey: [path, query],
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...query, limit: pageSize, cursor: pageParam ?? undefined }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  return {
    items: q.data?.pages.flatMap((p) => p.items) ?? [],
    error: q.error,
    loading: q.isLoading,
    hasMore: q.hasNextPage,
    more: () => void q.fetchNextPage(),
    refetch: () => void q.refetch(),
  };
}
