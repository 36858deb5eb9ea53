import type { SearchHit } from '$lib/api/search';

/** The page a search hit opens: a ticket its own, anything else its customer's; null when none. */
export function hitHref(hit: Pick<SearchHit, 'kind' | 'id' | 'customerId'>): string | null {
	if (hit.kind === 'ticket') return `/tickets/${hit.id}`;
	return hit.customerId === null ? null : `/customers/${hit.customerId}`;
}
