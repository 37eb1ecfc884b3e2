import { useQuery } from '@tanstack/react-query';
import { api, type ApiPath } from '../api/client';
import type { Page } from './lists';

export interface Named {
  id: string;
  name: string;
}

/** Every entity of a kind (up to 1000), for pickers and names. */
export function useEntities<T extends Named = Named>(path: ApiPath) {
  return useQuery({ queryKey: [path, 'all'], queryFn: () => api.get<Page<T>>(path, { limit: 1000 }) });
}
