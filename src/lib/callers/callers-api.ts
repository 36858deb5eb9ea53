import type {
	CallerCard,
	CallerMatch,
	CallerSuggestion,
	LookupResult,
	QuickCreateInput,
	ScreenPopResult
} from '$server/callers/callers.schemas';
import { api, call } from '$lib/api/client';

export type { CallerCard, CallerMatch, CallerSuggestion, LookupResult, QuickCreateInput, ScreenPopResult };

export function lookupCaller(number: string): Promise<LookupResult> {
	return call(() => api.callers.lookup.$get({ query: { number } }));
}

export function getCallerCard(query: { customerId?: string; contactId?: string }): Promise<CallerCard> {
	return call(() => api.callers.card.$get({ query }));
}

export async function suggestCallers(name: string): Promise<CallerSuggestion[]> {
	return (await call(() => api.callers.suggestions.$get({ query: { name } }))).items;
}

export function quickCreateCaller(input: QuickCreateInput): Promise<CallerMatch> {
	return call(() => api.callers.$post({ json: input }));
}

/** Lookup + the card of the only match (or suggestions) in one request: the ringing call's screen pop. */
export function screenPop(number: string, name: string | null): Promise<ScreenPopResult> {
	return call(() => api.callers['screen-pop'].$get({ query: { number, ...(name ? { name } : {}) } }));
}
