import type {
	CallerCard,
	CallerMatch,
	CallerSuggestion,
	LookupResult,
	QuickCreateInput
} from '$server/callers/callers.schemas';
import { api, call } from '$lib/api/client';

export type { CallerCard, CallerMatch, CallerSuggestion, LookupResult, QuickCreateInput };

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
