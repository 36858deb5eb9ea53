import type { SearchHit, SearchResult } from '$server/search/search.schemas';
import { api, call } from './client';

export type { SearchHit, SearchResult };

export function globalSearch(q: string, signal?: AbortSignal): Promise<SearchResult> {
	return call(() => api.search.$get({ query: { q, limit: '8' } }, { init: { signal } }));
}
