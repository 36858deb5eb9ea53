import { ApiError } from '$lib/api/client';
import {
	getCallerCard,
	screenPop,
	type CallerCard,
	type CallerMatch,
	type CallerSuggestion
} from './callers-api';
import { internalExtension } from './internal-extension';

export type ScreenPopState = 'looking_up' | 'card' | 'choose' | 'unknown' | 'internal' | 'error';

/**
 * The landing card of one call, opened the moment the INVITE arrives: caller lookup, then the
 * card of the only match (one request), a chooser for several, or the quick-create card with
 * fuzzy suggestions from the name the PBX sent. A colleague's extension needs no lookup.
 */
export class ScreenPop {
	readonly number: string;
	readonly callerName: string | null;
	readonly startedAt = performance.now();
	#state = $state<ScreenPopState>('looking_up');
	#normalized = $state<string | null>(null);
	#matches = $state<CallerMatch[]>([]);
	#chosen = $state<CallerMatch | null>(null);
	#card = $state<CallerCard | null>(null);
	#suggestions = $state<CallerSuggestion[]>([]);
	#error = $state<string | null>(null);
	#request = 0;
	/** ms from the INVITE to the card's data being in (for the screen-pop benchmark). */
	loadedInMs = $state<number | null>(null);

	constructor(number: string, callerName: string | null) {
		this.number = number;
		this.callerName = callerName;
	}

	get state() {
		return this.#state;
	}
	get normalized() {
		return this.#normalized;
	}
	get matches() {
		return this.#matches;
	}
	get chosen() {
		return this.#chosen;
	}
	get card() {
		return this.#card;
	}
	get suggestions() {
		return this.#suggestions;
	}
	get error() {
		return this.#error;
	}

	/** Runs the screen pop: one request for the lookup and the card (or suggestions). */
	async start() {
		if (internalExtension(this.number)) {
			this.#state = 'internal';
			this.loadedInMs = performance.now() - this.startedAt;
			return;
		}
		try {
			const result = await screenPop(this.number, this.callerName);
			this.#normalized = result.lookup.normalized;
			this.#matches = result.lookup.matches;
			this.#suggestions = result.suggestions;
			this.#chosen = result.chosen;
			this.#card = result.card;
			this.#state = result.chosen ? 'card' : result.lookup.matches.length > 1 ? 'choose' : 'unknown';
			this.loadedInMs = performance.now() - this.startedAt;
		} catch (error) {
			this.#fail(error);
		}
	}

	/** Opens the card of one match (the only one, or the one the agent picked). */
	async choose(match: CallerMatch) {
		this.#chosen = match;
		const request = ++this.#request;
		if (!match.customerId || (match.kind !== 'customer' && match.kind !== 'contact')) {
			// Prospects and technicians have no customer card: the match itself is shown.
			this.#card = null;
			this.#state = 'card';
			this.loadedInMs ??= performance.now() - this.startedAt;
			return;
		}
		try {
			const card = await getCallerCard(
				match.kind === 'contact'
					? { customerId: match.customerId, contactId: match.id }
					: { customerId: match.customerId }
			);
			if (request !== this.#request) return;
			this.#card = card;
			this.#state = 'card';
			this.loadedInMs ??= performance.now() - this.startedAt;
		} catch (error) {
			if (request === this.#request) this.#fail(error);
		}
	}

	/** Back to the chooser (several matches). */
	unchoose() {
		this.#request++;
		this.#chosen = null;
		this.#card = null;
		this.#state = this.#matches.length > 1 ? 'choose' : 'unknown';
	}

	/** A caller was just created from the quick-create card: show it. */
	async created(match: CallerMatch) {
		this.#matches = [match];
		await this.choose(match);
	}

	#fail(error: unknown) {
		this.#error = error instanceof ApiError ? error.message : String(error);
		this.#state = 'error';
	}
}
